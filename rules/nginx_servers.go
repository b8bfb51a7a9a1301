package rules

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/authlint/authlint/internal/nginxmodel"
	"github.com/authlint/authlint/parser/ast"
)

// nginxServers returns the servers of every nginx config in the pass.
func nginxServers(p *Pass) []*nginxmodel.Server {
	var out []*nginxmodel.Server
	for _, c := range p.Configs {
		out = append(out, nginxmodel.Servers(c)...)
	}
	return out
}

// serverLabel names a server in messages: `server example.com` or the
// position of its block.
func serverLabel(s *nginxmodel.Server) string {
	if names := s.Names(); len(names) > 0 && names[0] != "_" && names[0] != "" {
		return "server " + names[0]
	}
	pos := s.Pos()
	return fmt.Sprintf("the server at %s:%d", filepath.Base(pos.File), pos.Line)
}

// locationLabel names the location serving a step: `location /admin/`, or
// the server level when no location matched.
func locationLabel(l *nginxmodel.Location) string {
	if l == nil {
		return "the server level (no location matches)"
	}
	return "`" + l.Label() + "`"
}

// directiveText quotes a directive as written, shortened for messages.
func directiveText(n *ast.Node) string {
	t := n.Text()
	if len(t) > 80 {
		t = t[:77] + "..."
	}
	return "`" + t + ";`"
}

// related builds a related location for a node.
func related(n *ast.Node, format string, a ...any) Related {
	return Related{Pos: n.Pos, Message: fmt.Sprintf(format, a...)}
}

// levelName says where a directive sits in a scope: "at http level".
func levelName(sc *nginxmodel.Scope, n *ast.Node) string {
	switch lvl := sc.LevelOf(n); lvl {
	case "":
		return ""
	case "location", "if", "limit_except":
		return "in the " + lvl + " block"
	default:
		return "at " + lvl + " level"
	}
}

// isOff reports a directive whose first argument is "off".
func isOff(n *ast.Node) bool { return n != nil && strings.EqualFold(n.Arg(0), "off") }

// isAuthOff reports `auth_basic off;` / `auth_request off;`: unlike on/off
// flags, nginx compares these realms case-sensitively, so `auth_basic Off`
// is a realm named "Off" and still asks for a password (checked: 401).
func isAuthOff(n *ast.Node) bool { return n != nil && n.Arg(0) == "off" }

// headEnd is the end of a directive's head on its first line: the last
// character of its last argument on that line (for a block, before the
// `{`), so a finding on a block underlines `location /admin/`, not the
// whole block.
func headEnd(n *ast.Node) ast.Pos {
	end := n.Pos
	end.Col += len([]rune(n.Name)) - 1
	for _, a := range n.Args {
		if a.Pos.Line != n.Pos.Line {
			break
		}
		end = a.Pos
		end.Col += len([]rune(a.Raw())) - 1
	}
	return end
}
