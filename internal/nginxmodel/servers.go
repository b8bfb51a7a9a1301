// Package nginxmodel answers what nginx does with a request, from a loaded
// configuration: which server and location serve a URI, and the value of a
// directive in effect there after nginx's inheritance rules. Rules ask it
// instead of reading the syntax tree themselves (rules-catalog.md §0).
package nginxmodel

import (
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// Server is one virtual server: a `server {}` block, or the implicit server
// around a lone location snippet.
type Server struct {
	Config *ast.Config
	HTTP   *ast.Node // enclosing http block; nil when the config starts inside http
	Node   *ast.Node // the server block; nil for an implicit server
	// Top holds the directives at server level: Node.Children, or the
	// top-level nodes of a snippet read in server context.
	Top       []*ast.Node
	Locations []*Location // server-level locations, in file order
	Maps      map[string]*Map
	index     map[levelKey]map[string][]*ast.Node // see newLevel
}

// Names returns the server_name values.
func (s *Server) Names() []string {
	var out []string
	for _, n := range s.Top {
		if n.Is("server_name") {
			out = append(out, n.Values()...)
		}
	}
	return out
}

// Pos is where the server is declared (the server line, or the first
// directive of a snippet).
func (s *Server) Pos() ast.Pos {
	if s.Node != nil {
		return s.Node.Pos
	}
	if len(s.Top) > 0 {
		return s.Top[0].Pos
	}
	return ast.Pos{File: s.Config.Entry}
}

// Servers returns every server of a loaded nginx config, whatever context
// the config was read in.
func Servers(cfg *ast.Config) []*Server {
	if cfg == nil || cfg.Kind != ast.KindNginx {
		return nil
	}
	var out []*Server
	switch cfg.Context {
	case "server", "location":
		s := &Server{Config: cfg, Top: cfg.Nodes}
		if cfg.Context == "location" {
			// A lone location body: give it an implicit `location /`.
			loc := &ast.Node{Name: "location", Args: []ast.Arg{{Value: "/"}}, Block: true, Children: cfg.Nodes}
			if len(cfg.Nodes) > 0 {
				loc.Pos = cfg.Nodes[0].Pos
			}
			s.Top = []*ast.Node{loc}
		}
		out = append(out, s)
	case "http":
		out = append(out, serversIn(cfg, nil, cfg.Nodes)...)
	default: // main
		for _, n := range cfg.Nodes {
			if n.Is("http") {
				out = append(out, serversIn(cfg, n, n.Children)...)
			}
		}
	}
	shared := map[levelKey]map[string][]*ast.Node{}
	for _, s := range out {
		s.index = shared
		s.Maps = mapsOf(cfg, s.HTTP)
		s.Locations = locationsIn(s, nil, s.Top)
	}
	return out
}

func serversIn(cfg *ast.Config, httpNode *ast.Node, nodes []*ast.Node) []*Server {
	var out []*Server
	for _, n := range nodes {
		if n.Is("server") && n.Block {
			out = append(out, &Server{Config: cfg, HTTP: httpNode, Node: n, Top: n.Children})
		}
	}
	return out
}

// httpLevel returns the directives at http level for s: the http block's
// children, or the top-level nodes of a config read in http context.
func (s *Server) httpLevel() []*ast.Node {
	if s.HTTP != nil {
		return s.HTTP.Children
	}
	if s.Config.Context == "http" {
		return s.Config.Nodes
	}
	return nil
}

// Listens returns the listen directives of the server.
func (s *Server) Listens() []*ast.Node {
	var out []*ast.Node
	for _, n := range s.Top {
		if n.Is("listen") {
			out = append(out, n)
		}
	}
	return out
}

// IsDefaultCatchAll reports a `default_server` that only returns (the
// `return 444;` catch-all), which serves nothing.
func (s *Server) IsDefaultCatchAll() bool {
	isDefault := false
	for _, l := range s.Listens() {
		for _, a := range l.Args {
			if a.Value == "default_server" || a.Value == "default" {
				isDefault = true
			}
		}
	}
	return isDefault && s.ServerReturn() != nil
}

// ServerReturn returns the server-level `return` (or redirecting rewrite)
// that ends a GET request in the SERVER_REWRITE phase, before any location
// is chosen and before access checks; nil when there is none.
func (s *Server) ServerReturn() *ast.Node {
	return s.rewriteReturn(s.Top, "GET")
}

// ListensIPv4 reports whether IPv4 clients reach the server: a listen on
// an IPv4 address, a port or a host name, a `[::]` listen with
// ipv6only=off, or no listen at all (nginx's default is *:80). A server
// read from a snippet whose listen is elsewhere may take any client. A
// unix socket counts here too (its clients match only `all` rules, which
// cover IPv4 as well).
func (s *Server) ListensIPv4() bool {
	ls := s.Listens()
	if len(ls) == 0 {
		return true
	}
	for _, l := range ls {
		if !strings.HasPrefix(l.Arg(0), "[") || hasArg(l, "ipv6only=off") {
			return true
		}
	}
	return false
}

// ListensIPv6 reports whether IPv6 clients reach the server: a `[...]`
// listen, or a snippet server whose listen is elsewhere.
func (s *Server) ListensIPv6() bool {
	ls := s.Listens()
	if len(ls) == 0 {
		return s.Node == nil
	}
	for _, l := range ls {
		if strings.HasPrefix(l.Arg(0), "[") {
			return true
		}
	}
	return false
}

func hasArg(n *ast.Node, v string) bool {
	for _, a := range n.Args {
		if a.Value == v {
			return true
		}
	}
	return false
}
