package rules

import (
	"strings"

	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/parser/ast"
)

// htAuth is an access file that asks for credentials (catalog R4a/R4b).
type htAuth struct {
	h   *apachemodel.Htaccess
	at  *ast.Node // the AuthType line, else the first Require needing a user
	dir string    // the directory as the config names it
	// dirWide: some auth directive sits outside <Files>/<FilesMatch>, so
	// it covers the whole directory.
	dirWide bool
	// authNodes are the auth directives of the file, for the override
	// verdict.
	authNodes []*ast.Node
}

// htaccessAuths lists the access files with AuthType (not None) or a
// Require that needs a user.
func htaccessAuths(m *apachemodel.Model) []htAuth {
	if m.NginxOnly {
		return nil // served by nginx, which never reads them
	}
	var out []htAuth
	for _, h := range m.Htaccess {
		a := htAuth{h: h, dir: m.ConfigDir(h)}
		var firstReq *ast.Node
		var walk func(nodes []*ast.Node, inFiles bool)
		walk = func(nodes []*ast.Node, inFiles bool) {
			for _, n := range nodes {
				switch {
				case n.Block && (n.Is("Files") || n.Is("FilesMatch")):
					walk(n.Children, true)
				case n.Block:
					if strings.HasPrefix(strings.ToLower(n.Name), "require") {
						a.authNodes = append(a.authNodes, n)
					}
					walk(n.Children, inFiles)
				case n.Is("AuthType") && !strings.EqualFold(n.Arg(0), "None"):
					if a.at == nil {
						a.at = n
					}
					a.dirWide = a.dirWide || !inFiles
					a.authNodes = append(a.authNodes, n)
				case n.Is("Require") && apachemodel.NeedsUserProvider(n):
					if firstReq == nil {
						firstReq = n
					}
					a.dirWide = a.dirWide || !inFiles
					a.authNodes = append(a.authNodes, n)
				case strings.HasPrefix(strings.ToLower(n.Name), "auth") || n.Is("Require"):
					a.authNodes = append(a.authNodes, n)
				}
			}
		}
		walk(h.Nodes, false)
		if a.at == nil {
			a.at = firstReq
		}
		if a.at != nil {
			out = append(out, a)
		}
	}
	return out
}

// htEffect is what httpd does with the auth of an access file.
type htEffect int

const (
	htUnknown   htEffect = iota // no server config in the run
	htEffective                 // read and allowed
	htNotRead                   // AllowOverride None: never opened
	htSkipped                   // Nonfatal=Override: skipped with a warning
	htFatal                     // forbidden: 500 for the whole subtree
)

// htServer picks the server whose <Directory> sections govern the access
// file: the first that serves its directory, else the first main server.
func htServer(m *apachemodel.Model, dir string) *apachemodel.Server {
	for _, s := range m.Servers {
		if s.URLFor(dir) != "" {
			return s
		}
	}
	if len(m.Mains) > 0 {
		return m.Mains[0]
	}
	return nil
}

// effect computes R4b for an access file, with the override in effect and
// the directive that decides (the first forbidden one).
func (a htAuth) effect(m *apachemodel.Model) (htEffect, apachemodel.Override, *ast.Node) {
	s := htServer(m, a.dir)
	if !m.HasServerConfig || s == nil {
		return htUnknown, apachemodel.Override{}, nil
	}
	ov := s.OverrideFor(a.dir)
	if !ov.Reads() || !m.IsRead(a.h) {
		return htNotRead, ov, nil
	}
	var skipped *ast.Node
	allowed := false
	for _, n := range a.authNodes {
		switch ov.Verdict(n.Name) {
		case apachemodel.Fatal:
			return htFatal, ov, n
		case apachemodel.Skipped:
			if skipped == nil {
				skipped = n
			}
		case apachemodel.Allowed:
			allowed = true
		}
	}
	if skipped != nil && !allowed {
		return htSkipped, ov, skipped
	}
	return htEffective, ov, nil
}

// overrideRelated points at the AllowOverride in effect.
func overrideRelated(ov apachemodel.Override) []Related {
	var out []Related
	if ov.Node != nil {
		out = append(out, Related{Pos: ov.Node.Pos, Message: "the AllowOverride in effect for this directory"})
	}
	if ov.ListNode != nil {
		out = append(out, Related{Pos: ov.ListNode.Pos, Message: "the AllowOverrideList in effect for this directory"})
	}
	return out
}

// overrideSource says where the override in effect comes from.
func overrideSource(ov apachemodel.Override) string {
	if ov.Node == nil {
		return ov.Label()
	}
	src := "`" + ov.Node.Text() + "`"
	if p := ov.Node.Parent; p != nil {
		src += " in <" + p.Text() + ">"
	}
	return src + " at " + at(ov.Node.Pos)
}
