package nginxmodel

import (
	"slices"
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// Level is one step of the inheritance chain: http, server, location, if or
// limit_except, with the directives written at that level.
type Level struct {
	Kind       string // "http", "server", "location", "if", "limit_except"
	Node       *ast.Node
	Directives []*ast.Node
	byName     map[string][]*ast.Node // Directives by lower-case name
}

// levelKey identifies a level's index: the block and the kind of level.
type levelKey struct {
	kind string
	node *ast.Node
}

// newLevel indexes a level's directives by name, once per block: the http
// level of a config with many servers is shared by all their scopes.
func (s *Server) newLevel(kind string, n *ast.Node, directives []*ast.Node) Level {
	key := levelKey{kind, n}
	if n == nil && len(directives) > 0 {
		key.node = directives[0] // a level without a block node (snippet top level)
	}
	idx, ok := s.index[key]
	if !ok || key.node == nil {
		idx = map[string][]*ast.Node{}
		for _, d := range directives {
			name := strings.ToLower(d.Name)
			idx[name] = append(idx[name], d)
		}
		if key.node != nil {
			s.index[key] = idx
		}
	}
	return Level{Kind: kind, Node: n, Directives: directives, byName: idx}
}

// Scope is the configuration that serves a request: the chain of levels
// from http down to the chosen location (and an `if` or `limit_except`
// block when the request enters one).
type Scope struct {
	Server   *Server
	Location *Location // nil: served at server level
	Levels   []Level   // outermost first
}

// arrayGroups lists the directives whose occurrences form one list that a
// level replaces as a whole when it declares any of them ("all-or-nothing"
// inheritance). allow and deny share one list.
var arrayGroups = [][]string{
	{"allow", "deny"},
	{"add_header"},
	{"add_trailer"},
	{"proxy_set_header"},
	{"fastcgi_param"},
	{"uwsgi_param"},
	{"scgi_param"},
	{"grpc_set_header"},
	{"index"},
	{"error_page"},
}

// cumulative lists the headers-more directives. They share one command
// list that ngx_http_headers_more_merge_loc_conf appends to the parent's,
// so every level's occurrences stay in effect, outer ones first (checked
// on nginx 1.22 with headers-more 0.34: an http-level
// `more_clear_input_headers Authorization` still clears the header in a
// location with its own more_clear_input_headers line).
var cumulative = []string{"more_set_headers", "more_clear_headers", "more_set_input_headers", "more_clear_input_headers"}

func groupOf(name string) []string {
	for _, g := range arrayGroups {
		for _, n := range g {
			if strings.EqualFold(n, name) {
				return g
			}
		}
	}
	return nil
}

// ScopeFor builds the chain for a location (nil: the server level).
func (s *Server) ScopeFor(loc *Location) *Scope {
	sc := &Scope{Server: s, Location: loc}
	if http := s.httpLevel(); http != nil {
		sc.Levels = append(sc.Levels, s.newLevel("http", s.HTTP, http))
	}
	sc.Levels = append(sc.Levels, s.newLevel("server", s.Node, s.Top))
	var chain []*Location
	for l := loc; l != nil; l = l.Parent {
		chain = append([]*Location{l}, chain...)
	}
	for _, l := range chain {
		sc.Levels = append(sc.Levels, s.newLevel("location", l.Node, l.Node.Children))
	}
	return sc
}

// With returns a copy of the scope with one more level (an `if` or
// `limit_except` block the request enters).
func (sc *Scope) With(kind string, n *ast.Node) *Scope {
	c := *sc
	c.Levels = append(append([]Level(nil), sc.Levels...), sc.Server.newLevel(kind, n, n.Children))
	return &c
}

// Innermost returns the innermost level.
func (sc *Scope) Innermost() Level { return sc.Levels[len(sc.Levels)-1] }

// Effective returns the directives named name in effect: for a scalar
// directive the innermost occurrence (a one-element slice); for an array
// directive (proxy_set_header, add_header, allow/deny, ...) every entry of
// the innermost level that declares any directive of its group, since one
// declaration replaces the whole inherited list; for a headers-more
// directive every occurrence of every level, outer first. For allow/deny the result
// holds both names in file order.
func (sc *Scope) Effective(name string) []*ast.Node {
	if slices.ContainsFunc(cumulative, func(c string) bool { return strings.EqualFold(c, name) }) {
		var all []*ast.Node
		for _, lvl := range sc.Levels {
			all = append(all, lvl.byName[strings.ToLower(name)]...)
		}
		return all
	}
	group := groupOf(name)
	for _, lvl := range slices.Backward(sc.Levels) {
		if group == nil {
			if ds := lvl.byName[strings.ToLower(name)]; len(ds) > 0 {
				return ds[len(ds)-1:] // the last occurrence wins, as nginx reports a duplicate
			}
			continue
		}
		if !slices.ContainsFunc(group, func(g string) bool { return len(lvl.byName[g]) > 0 }) {
			continue
		}
		var found []*ast.Node // in file order, allow and deny interleaved
		for _, d := range lvl.Directives {
			if inGroup(d, group) {
				found = append(found, d)
			}
		}
		return found
	}
	return nil
}

// Scalar returns the innermost occurrence of a scalar directive, or nil.
func (sc *Scope) Scalar(name string) *ast.Node {
	if ds := sc.Effective(name); len(ds) > 0 {
		return ds[0]
	}
	return nil
}

// LevelIndex returns the index in Levels of the level that declares n, or
// -1.
func (sc *Scope) LevelIndex(n *ast.Node) int {
	for i, l := range sc.Levels {
		if slices.Contains(l.Directives, n) {
			return i
		}
	}
	return -1
}

// LevelOf names the kind of level that declares n ("http", "server", ...).
func (sc *Scope) LevelOf(n *ast.Node) string {
	if i := sc.LevelIndex(n); i >= 0 {
		return sc.Levels[i].Kind
	}
	return ""
}

func inGroup(d *ast.Node, group []string) bool {
	return slices.ContainsFunc(group, d.Is)
}

// Chain renders the levels as "http → server → location /admin/".
func (sc *Scope) Chain() string {
	parts := make([]string, 0, len(sc.Levels))
	for _, l := range sc.Levels {
		switch l.Kind {
		case "location":
			parts = append(parts, l.Node.Text())
		case "if", "limit_except":
			parts = append(parts, l.Node.Text())
		default:
			parts = append(parts, l.Kind)
		}
	}
	return strings.Join(parts, " → ")
}

// Scopes returns the server-level scope and the scope of every location,
// depth first: every place a directive can be in effect.
func (s *Server) Scopes() []*Scope {
	out := []*Scope{s.ScopeFor(nil)}
	for _, l := range s.AllLocations() {
		out = append(out, s.ScopeFor(l))
	}
	return out
}
