package apachemodel

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// Server is the main server of a config or one <VirtualHost>. A virtual
// host sees the main server's sections first, then its own.
type Server struct {
	Config *ast.Config
	Node   *ast.Node // the <VirtualHost>; nil for the main server
	Main   *Server   // the main server (itself for the main server)
	VHosts []*Server // main server only
	// Top are the server-level directives, conditionals resolved.
	Top []*ast.Node
	// DocRoot is the DocumentRoot in effect (the vhost's, else the main
	// server's) as the config names it; "" when none is set.
	DocRoot     string
	DocRootNode *ast.Node

	model *Model
	defs  *conds
	dirs  []*Section // <Directory> (non-regex), config order
	regex []*Section // <Directory ~>, <DirectoryMatch>
	files []*Section
	locs  []*Section
	ifs   []*Section

	samples []string // SampleURLs' answer, computed once
}

// Section is one merge unit: a configuration section, an .htaccess file,
// or the server level.
type Section struct {
	Kind string // "server", "Directory", "DirectoryMatch", "Files", "FilesMatch", "Location", "LocationMatch", "If", "ElseIf", "Else", "htaccess"
	Node *ast.Node
	Path string         // the section's argument (Directory: cleaned path)
	Re   *regexp.Regexp // regex sections; nil when the regex does not compile
	// Body are the section's directives, conditionals resolved.
	Body     []*ast.Node
	Htaccess *Htaccess
	Dir      string // the directory an .htaccess file stands for
	depth    int
}

// Label names the section in messages: `<Directory "/var/www/html">`,
// `.htaccess in /var/www/html`.
func (s *Section) Label() string {
	switch s.Kind {
	case "htaccess":
		return filepath.Base(s.Htaccess.Path) + " in " + s.Dir
	case "server":
		if s.Node != nil {
			return "<" + s.Node.Text() + ">"
		}
		return "server config"
	}
	return "<" + s.Node.Text() + ">"
}

// Pos is where the section starts.
func (s *Section) Pos() ast.Pos {
	if s.Node != nil {
		return s.Node.Pos
	}
	if s.Htaccess != nil {
		return ast.Pos{File: s.Htaccess.Path}
	}
	return ast.Pos{}
}

func newMain(m *Model, c *ast.Config) *Server {
	s := &Server{Config: c, model: m, defs: newConds(c)}
	s.Main = s
	for _, n := range flatten(c.Nodes, s.defs) {
		if n.Block && n.Is("VirtualHost") {
			v := &Server{Config: c, Node: n, Main: s, model: m, defs: s.defs}
			v.Top = flatten(n.Children, s.defs)
			s.VHosts = append(s.VHosts, v)
			continue
		}
		s.Top = append(s.Top, n)
	}
	for _, srv := range append([]*Server{s}, s.VHosts...) {
		srv.collect()
		if d := last(srv.Top, "DocumentRoot"); d != nil {
			srv.DocRoot, srv.DocRootNode = cleanDir(d.Arg(0)), d
		}
	}
	for _, v := range s.VHosts {
		if v.DocRoot == "" {
			v.DocRoot, v.DocRootNode = s.DocRoot, s.DocRootNode
		}
	}
	return s
}

// collect sorts the server's own sections by kind.
func (s *Server) collect() {
	for _, n := range s.Top {
		sec := newSection(n, s.defs)
		if sec == nil {
			continue
		}
		switch sec.Kind {
		case "Directory":
			s.dirs = append(s.dirs, sec)
		case "DirectoryMatch":
			s.regex = append(s.regex, sec)
		case "Files", "FilesMatch":
			s.files = append(s.files, sec)
		case "Location", "LocationMatch":
			s.locs = append(s.locs, sec)
		case "If", "ElseIf", "Else":
			s.ifs = append(s.ifs, sec)
		}
	}
}

// newSection reads a merge section; nil for anything else.
func newSection(n *ast.Node, defs *conds) *Section {
	if !n.Block {
		return nil
	}
	sec := &Section{Node: n, Body: flatten(n.Children, defs)}
	arg, regex := n.Arg(0), false
	if arg == "~" {
		arg, regex = n.Arg(1), true
	}
	switch {
	case n.Is("Directory"):
		sec.Kind = "Directory"
	case n.Is("DirectoryMatch"):
		sec.Kind, regex = "DirectoryMatch", true
	case n.Is("Files"):
		sec.Kind = "Files"
	case n.Is("FilesMatch"):
		sec.Kind, regex = "FilesMatch", true
	case n.Is("Location"):
		sec.Kind = "Location"
	case n.Is("LocationMatch"):
		sec.Kind, regex = "LocationMatch", true
	case n.Is("If"), n.Is("ElseIf"), n.Is("Else"):
		sec.Kind = canonical(n.Name)
		return sec
	default:
		return nil
	}
	sec.Path = arg
	if regex {
		if sec.Kind == "Directory" {
			sec.Kind = "DirectoryMatch"
		}
		if sec.Kind == "Files" {
			sec.Kind = "FilesMatch"
		}
		if sec.Kind == "Location" {
			sec.Kind = "LocationMatch"
		}
		sec.Re, _ = regexp.Compile(arg)
		return sec
	}
	if sec.Kind == "Directory" {
		sec.Path = cleanDir(arg)
		sec.depth = depth(sec.Path)
	}
	return sec
}

func canonical(name string) string {
	for _, k := range []string{"If", "ElseIf", "Else"} {
		if strings.EqualFold(k, name) {
			return k
		}
	}
	return name
}

// cleanDir cleans a directory path as httpd compares it.
func cleanDir(p string) string {
	if p == "" {
		return ""
	}
	return filepath.Clean(p)
}

// depth counts the elements of a clean absolute path; "/" is 0.
func depth(p string) int {
	if p == "/" || p == "" {
		return 0
	}
	return strings.Count(strings.TrimSuffix(p, "/"), "/")
}

// last returns the last directive named name in nodes (not inside
// sections), or nil.
func last(nodes []*ast.Node, name string) *ast.Node {
	var out *ast.Node
	for _, n := range nodes {
		if !n.Block && n.Is(name) {
			out = n
		}
	}
	return out
}

// Names returns ServerName then the ServerAliases.
func (s *Server) Names() []string {
	var out []string
	if n := last(s.Top, "ServerName"); n != nil {
		out = append(out, n.Arg(0))
	}
	for _, n := range s.Top {
		if !n.Block && n.Is("ServerAlias") {
			out = append(out, n.Values()...)
		}
	}
	return out
}

// Label names the server in messages.
func (s *Server) Label() string {
	if names := s.Names(); len(names) > 0 {
		return "server " + names[0]
	}
	if s.Node != nil {
		return fmt.Sprintf("<%s> at %s:%d", s.Node.Text(), filepath.Base(s.Node.Pos.File), s.Node.Pos.Line)
	}
	if s.Config != nil {
		return "the main server of " + filepath.Base(s.Config.Entry)
	}
	return "the server"
}

// IsMain reports the main server.
func (s *Server) IsMain() bool { return s.Main == s }

// levels returns the server levels whose directives form the base of every
// per-directory merge: the main server's, then the vhost's.
func (s *Server) levels() []*Server {
	if s.IsMain() {
		return []*Server{s}
	}
	return []*Server{s.Main, s}
}

// knownDirs are the directories the config names for this server:
// DocumentRoot, Alias targets and plain <Directory> paths.
func (s *Server) knownDirs() []string {
	var out []string
	if s.DocRoot != "" {
		out = append(out, s.DocRoot)
	}
	for _, lvl := range s.levels() {
		for _, n := range lvl.Top {
			if !n.Block && (n.Is("Alias") || n.Is("ScriptAlias")) && len(n.Args) == 2 {
				out = append(out, cleanDir(n.Arg(1)))
			}
		}
		for _, d := range lvl.dirs {
			if !strings.ContainsAny(d.Path, "*?[") {
				out = append(out, d.Path)
			}
		}
	}
	return out
}
