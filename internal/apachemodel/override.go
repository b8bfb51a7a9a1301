package apachemodel

import (
	"slices"
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// Override is the AllowOverride / AllowOverrideList in effect for a
// directory: from the longest plain <Directory> that sets it, inherited,
// default None (httpd 2.3.9+). AllowOverride in <DirectoryMatch>,
// <Location> or <Files> does not count (httpd ignores it, AH00114).
type Override struct {
	// Known is false in a run without server config: anything goes.
	Known bool
	Node  *ast.Node // the AllowOverride in effect; nil: the default None
	All   bool
	// Classes are the lower-case override classes listed (authconfig,
	// fileinfo, indexes, limit, options).
	Classes map[string]bool
	// NonfatalOverride: a directive forbidden by AllowOverride is skipped
	// with a warning instead of a 500 (Nonfatal=Override or =All).
	NonfatalOverride bool
	NonfatalUnknown  bool
	ListNode         *ast.Node
	List             []string // AllowOverrideList names, lower case
}

func (m *Model) defaultOverride() Override {
	if !m.HasServerConfig {
		return Override{All: true}
	}
	return Override{Known: true}
}

// apply takes the AllowOverride / AllowOverrideList of a plain <Directory>.
func (o Override) apply(d *Section) Override {
	if d.Kind != "Directory" {
		return o
	}
	if n := last(d.Body, "AllowOverride"); n != nil {
		o.Node, o.All, o.Classes = n, false, map[string]bool{}
		o.NonfatalOverride, o.NonfatalUnknown = false, false
		for _, v := range n.Values() {
			lv := strings.ToLower(v)
			switch {
			case lv == "all":
				o.All = true
			case lv == "none":
			case strings.HasPrefix(lv, "nonfatal="):
				switch strings.TrimPrefix(lv, "nonfatal=") {
				case "override":
					o.NonfatalOverride = true
				case "unknown":
					o.NonfatalUnknown = true
				case "all":
					o.NonfatalOverride, o.NonfatalUnknown = true, true
				}
			default:
				name, _, _ := strings.Cut(lv, "=")
				o.Classes[name] = true
			}
		}
	}
	if n := last(d.Body, "AllowOverrideList"); n != nil {
		o.ListNode, o.List = n, nil
		for _, v := range n.Values() {
			if !strings.EqualFold(v, "none") {
				o.List = append(o.List, strings.ToLower(v))
			}
		}
	}
	return o
}

// None reports AllowOverride None (or unset).
func (o Override) None() bool { return !o.All && len(o.Classes) == 0 }

// Reads reports whether httpd opens the access file at all.
func (o Override) Reads() bool { return !o.Known || !o.None() || len(o.List) > 0 }

// Verdict is what httpd does with one directive of an access file.
type Verdict int

// The verdicts.
const (
	Allowed Verdict = iota + 1
	Skipped         // forbidden, but Nonfatal: a warning in the log
	Fatal           // forbidden: 500 "... not allowed here"
)

// Verdict says how the override treats a directive (by name) in an access
// file that is read.
func (o Override) Verdict(name string) Verdict {
	if !o.Known || o.All {
		return Allowed
	}
	if slices.Contains(o.List, strings.ToLower(name)) {
		return Allowed
	}
	class, known := directiveClass(name)
	if !known || class == "" {
		return Allowed // sections and directives authlint does not classify
	}
	if o.Classes[class] {
		return Allowed
	}
	if o.NonfatalOverride {
		return Skipped
	}
	return Fatal
}

// Label renders the override for messages.
func (o Override) Label() string {
	switch {
	case !o.Known:
		return "unknown (no server config in the run)"
	case o.Node == nil && o.ListNode == nil:
		return "AllowOverride None (the default)"
	case o.Node == nil:
		return "AllowOverride None (the default) with " + o.ListNode.Text()
	}
	return o.Node.Text()
}

// directiveClass is the override class a directive needs in .htaccess;
// "" for containers allowed anywhere.
func directiveClass(name string) (string, bool) {
	n := strings.ToLower(name)
	switch {
	case n == "files" || n == "filesmatch" || n == "if" || n == "elseif" || n == "else" ||
		n == "limit" || n == "limitexcept" || strings.HasPrefix(n, "if"):
		return "", true
	case strings.HasPrefix(n, "auth") || strings.HasPrefix(n, "require") || n == "satisfy" ||
		n == "cgipassauth" || n == "anonymous" || strings.HasPrefix(n, "anonymous_"):
		return "authconfig", true
	case n == "order" || n == "allow" || n == "deny":
		return "limit", true
	case n == "options" || n == "xbithack":
		return "options", true
	case n == "directoryindex" || strings.HasPrefix(n, "indexoptions") || n == "fancyindexing" ||
		n == "expiresactive" || n == "expiresdefault" || n == "expiresbytype" || n == "headername" || n == "readmename":
		return "indexes", true
	case strings.HasPrefix(n, "rewrite") || strings.HasPrefix(n, "redirect") || n == "errordocument" ||
		n == "header" || n == "requestheader" || strings.HasPrefix(n, "setenvif") || n == "setenv" ||
		n == "unsetenv" || n == "sethandler" || n == "addhandler" || n == "addtype" || n == "forcetype" ||
		n == "defaulttype" || n == "addcharset" || n == "adddefaultcharset" || n == "action" ||
		n == "setoutputfilter" || n == "setinputfilter" || n == "addoutputfilter" || n == "removehandler":
		return "fileinfo", true
	}
	return "", false
}

// OverrideFor returns the override in effect for a directory the config
// names (clean absolute path), on this server.
func (s *Server) OverrideFor(dir string) Override {
	dir = cleanDir(dir)
	ov := s.model.defaultOverride()
	dirs := s.dirSections()
	for lvl := 0; lvl <= depth(dir); lvl++ {
		prefix := prefixAt(dir, lvl)
		for _, d := range dirs {
			if d.depth == lvl && dirMatches(d.Path, prefix) {
				ov = ov.apply(d)
			}
		}
	}
	return ov
}

// OverrideFor returns the override in effect for a directory the config
// names, on the first server that serves it (else the first main server):
// <Directory> sections inside a <VirtualHost> count for that host only.
func (m *Model) OverrideFor(dir string) Override {
	for _, s := range m.Servers {
		if s.URLFor(dir) != "" {
			return s.OverrideFor(dir)
		}
	}
	if len(m.Mains) > 0 {
		return m.Mains[0].OverrideFor(dir)
	}
	return m.defaultOverride()
}
