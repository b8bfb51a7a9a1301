package nginxmodel

import (
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// Map is a `map $source $target { ... }` block at http level.
type Map struct {
	Node    *ast.Node
	Source  string // e.g. "$request_method"
	Target  string // e.g. "$realm"
	Default string
	Entries [][2]string // key, value in file order (regex keys start with ~)
}

func mapsOf(cfg *ast.Config, httpNode *ast.Node) map[string]*Map {
	nodes := cfg.Nodes
	if httpNode != nil {
		nodes = httpNode.Children
	}
	out := map[string]*Map{}
	for _, n := range nodes {
		if !n.Is("map") || !n.Block || len(n.Args) != 2 {
			continue
		}
		m := &Map{Node: n, Source: n.Arg(0), Target: n.Arg(1)}
		for _, e := range n.Children {
			switch {
			case e.Name == "default" && len(e.Args) == 1:
				m.Default = e.Arg(0)
			case e.Name == "hostnames" || e.Name == "volatile" || e.Name == "include":
			case len(e.Args) == 1:
				m.Entries = append(m.Entries, [2]string{e.Name, e.Arg(0)})
			}
		}
		out[m.Target] = m
	}
	return out
}

// Eval evaluates the map for a value of its source variable. Exact keys
// are tried first, then regex keys in order, as ngx_http_map does. Exact
// keys ignore case: ngx_hash_add_key stores them lower-cased and
// ngx_http_map_find lower-cases the value before the lookup (checked on
// nginx 1.22: a key `options` matches OPTIONS). ok is false when a regex
// key cannot be evaluated here.
func (m *Map) Eval(input string) (value string, ok bool) {
	for _, e := range m.Entries {
		if !strings.HasPrefix(e[0], "~") && strings.EqualFold(e[0], input) {
			return e[1], true
		}
	}
	for _, e := range m.Entries {
		key, isRegex := strings.CutPrefix(e[0], "~")
		if !isRegex {
			continue
		}
		caseless := strings.HasPrefix(key, "*")
		re, err := CompileRegex(strings.TrimPrefix(key, "*"), caseless)
		if err != nil {
			return "", false
		}
		if re.MatchString(input) {
			return e[1], true
		}
	}
	return m.Default, true
}

// EvalMethod evaluates a directive value for a request method: a literal
// is itself; a variable defined by a map on $request_method is evaluated.
// known is false for any other variable (its value depends on the request
// in ways the model does not follow).
func (s *Server) EvalMethod(value, method string) (result string, known bool) {
	if !strings.HasPrefix(value, "$") {
		return value, true
	}
	m, ok := s.Maps[value]
	if !ok || m.Source != "$request_method" {
		return value, false
	}
	return m.Eval(method)
}
