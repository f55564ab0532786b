// goyaml-check reads YAML the way Argo CD, kubectl and Helm do (go-yaml v2,
// YAML 1.1) so the tests can check that the plugin's output reads back
// exactly. Input: one JSON string per line, each a whole YAML stream. Output:
// one JSON line per input: {"docs": [...]} with every document decoded, map
// keys turned into strings, or {"error": "..."} when go-yaml refuses it.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"gopkg.in/yaml.v2"
)

type result struct {
	Docs  []interface{} `json:"docs,omitempty"`
	Error string        `json:"error,omitempty"`
}

func toJSONable(v interface{}) interface{} {
	switch t := v.(type) {
	case map[interface{}]interface{}:
		m := make(map[string]interface{}, len(t))
		for k, val := range t {
			m[fmt.Sprint(k)] = toJSONable(val)
		}
		return m
	case []interface{}:
		out := make([]interface{}, len(t))
		for i, val := range t {
			out[i] = toJSONable(val)
		}
		return out
	default:
		return t
	}
}

func decodeAll(text string) result {
	dec := yaml.NewDecoder(strings.NewReader(text))
	docs := []interface{}{}
	for {
		var doc interface{}
		err := dec.Decode(&doc)
		if err == io.EOF {
			return result{Docs: docs}
		}
		if err != nil {
			return result{Error: err.Error()}
		}
		docs = append(docs, toJSONable(doc))
	}
}

func main() {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for {
		line, err := in.ReadBytes('\n')
		if len(line) > 0 {
			var text string
			if jerr := json.Unmarshal(line, &text); jerr != nil {
				fmt.Fprintln(os.Stderr, "goyaml-check: input line is not a JSON string:", jerr)
				os.Exit(2)
			}
			if eerr := enc.Encode(decodeAll(text)); eerr != nil {
				fmt.Fprintln(os.Stderr, "goyaml-check:", eerr)
				os.Exit(2)
			}
			out.Flush()
		}
		if err != nil {
			return
		}
	}
}
