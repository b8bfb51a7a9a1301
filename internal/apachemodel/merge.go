package apachemodel

import (
	"path"
	"slices"
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// Scope is the merged configuration of one request: the sections that
// apply, in the order httpd merges them (catalog §0): the server levels,
// <Directory> short to long interleaved with .htaccess, <DirectoryMatch>,
// <Files>/<FilesMatch>, <Location>/<LocationMatch>, <If>.
type Scope struct {
	Server *Server
	Method string
	Target Target
	Chain  []*Section
	// Fatal is an .htaccess directive its AllowOverride forbids without
	// Nonfatal: httpd answers 500 for the whole request.
	Fatal *ast.Node
	// Undecided are the <If>/<ElseIf> sections whose condition authlint
	// cannot evaluate (%{HTTP_HOST}, %{REMOTE_ADDR}...): they are left out
	// of Chain, but merge last whenever their condition holds.
	Undecided []*Section
}

// Merge builds the scope of a request.
func (s *Server) Merge(url, method string) *Scope {
	sc := &Scope{Server: s, Method: method, Target: s.Map(url, method)}
	for _, lvl := range s.levels() {
		sc.Chain = append(sc.Chain, &Section{Kind: "server", Node: lvl.Node, Body: nonBlocks(lvl.Top)})
	}
	if sc.Target.PreAuth != nil {
		return sc
	}
	if f := sc.Target.File; f != "" {
		dir := f
		if !sc.Target.IsDir {
			dir = path.Dir(f)
		}
		sc.directoryWalk(dir)
		base := path.Base(f)
		if sc.Target.IsDir {
			base = "" // httpd's file walk sees "dir/", an empty last element
		}
		sc.fileWalk(base)
	}
	sc.Chain = append(sc.Chain, s.locations(url)...)
	sc.ifWalk()
	return sc
}

func nonBlocks(nodes []*ast.Node) []*ast.Node {
	var out []*ast.Node
	for _, n := range nodes {
		if !n.Block {
			out = append(out, n)
		}
	}
	return out
}

// dirSections are the plain <Directory> sections a server sees, sorted as
// httpd sorts them: by path depth, then config order (main server first).
func (s *Server) dirSections() []*Section {
	var all []*Section
	for _, lvl := range s.levels() {
		all = append(all, lvl.dirs...)
	}
	slices.SortStableFunc(all, func(a, b *Section) int { return a.depth - b.depth })
	return all
}

// prefixAt returns the first n elements of a clean absolute path.
func prefixAt(dir string, n int) string {
	if n == 0 {
		return "/"
	}
	parts := strings.Split(strings.TrimPrefix(dir, "/"), "/")
	return "/" + strings.Join(parts[:n], "/")
}

// dirMatches tests a plain <Directory> path (wildcards allowed per
// element) against a directory of the same depth.
func dirMatches(pattern, dir string) bool {
	if pattern == dir {
		return true
	}
	ok, err := path.Match(pattern, dir)
	return err == nil && ok
}

// directoryWalk applies <Directory> sections from / down to dir, reading
// each directory's access file after the sections of its depth when the
// AllowOverride in effect lets httpd open it; then <DirectoryMatch>.
func (sc *Scope) directoryWalk(dir string) {
	dir = cleanDir(dir)
	m := sc.Server.model
	dirs := sc.Server.dirSections()
	ov := m.defaultOverride()
	for lvl := 0; lvl <= depth(dir); lvl++ {
		prefix := prefixAt(dir, lvl)
		for _, d := range dirs {
			if d.depth == lvl && dirMatches(d.Path, prefix) {
				sc.Chain = append(sc.Chain, d)
				ov = ov.apply(d)
			}
		}
		h := m.HtaccessIn(prefix)
		if h == nil || !ov.Reads() || !m.IsRead(h) {
			continue
		}
		sec := &Section{Kind: "htaccess", Htaccess: h, Dir: prefix}
		for _, n := range h.Nodes {
			switch ov.Verdict(n.Name) {
			case Allowed:
				sec.Body = append(sec.Body, n)
			case Fatal:
				if sc.Fatal == nil {
					sc.Fatal = n
				}
			case Skipped: // httpd logs AH02295 and goes on without it
			}
		}
		// Directives inside <Files>, <If>, <Limit> of the file are checked
		// when the file is read, too.
		ast.Walk(sec.Body, func(n *ast.Node) bool {
			if n.Parent != nil && ov.Verdict(n.Name) == Fatal && sc.Fatal == nil {
				sc.Fatal = n
			}
			return true
		})
		sc.Chain = append(sc.Chain, sec)
	}
	for _, lvl := range sc.Server.levels() {
		for _, d := range lvl.regex {
			if d.Re != nil && (d.Re.MatchString(dir) || d.Re.MatchString(dir+"/")) {
				sc.Chain = append(sc.Chain, d)
			}
		}
	}
}

// fileWalk applies <Files>/<FilesMatch>: the server's own, then those
// nested in the directory sections and access files merged so far.
func (sc *Scope) fileWalk(base string) {
	var cands []*Section
	for _, lvl := range sc.Server.levels() {
		cands = append(cands, lvl.files...)
	}
	for _, sec := range sc.Chain {
		if sec.Kind == "server" {
			continue
		}
		cands = append(cands, nestedSections(sec, "Files", "FilesMatch")...)
	}
	for _, f := range cands {
		if filesMatch(f, base) {
			sc.Chain = append(sc.Chain, f)
		}
	}
}

// nestedSections returns the sections of the given kinds written inside
// sec.
func nestedSections(sec *Section, kinds ...string) []*Section {
	var out []*Section
	for _, n := range sec.Body {
		if !n.Block {
			continue
		}
		if ns := newSection(n, nil); ns != nil && slices.Contains(kinds, ns.Kind) {
			out = append(out, ns)
		}
	}
	return out
}

func filesMatch(f *Section, base string) bool {
	if f.Kind == "FilesMatch" {
		return f.Re != nil && f.Re.MatchString(base)
	}
	ok, err := path.Match(f.Path, base)
	return err == nil && ok
}

// locations returns the <Location>/<LocationMatch> sections matching url,
// in config order (main server first).
func (s *Server) locations(url string) []*Section {
	var out []*Section
	for _, lvl := range s.levels() {
		for _, l := range lvl.locs {
			if locationMatches(l, url) {
				out = append(out, l)
			}
		}
	}
	return out
}

func locationMatches(l *Section, url string) bool {
	if l.Kind == "LocationMatch" {
		return l.Re != nil && l.Re.MatchString(url)
	}
	if strings.ContainsAny(l.Path, "*?[") {
		n := strings.Count(l.Path, "/")
		parts := strings.SplitAfterN(url, "/", n+1)
		prefix := strings.TrimSuffix(strings.Join(parts[:min(n, len(parts))], ""), "/")
		ok, err := path.Match(strings.TrimSuffix(l.Path, "/"), prefix)
		return err == nil && ok
	}
	return l.Path == "/" || prefixMatch(url, l.Path)
}

// ifWalk applies the <If> sections, server level first, then those nested
// in the merged sections, evaluating <ElseIf>/<Else> against the <If>
// before them.
func (sc *Scope) ifWalk() {
	var groups [][]*Section
	for _, lvl := range sc.Server.levels() {
		groups = append(groups, lvl.ifs)
	}
	for _, sec := range sc.Chain {
		if sec.Kind != "server" {
			groups = append(groups, nestedSections(sec, "If", "ElseIf", "Else"))
		}
	}
	for _, g := range groups {
		done, blind := false, false
		for _, sec := range g {
			if sec.Kind == "If" {
				done, blind = false, false
			}
			if done || blind {
				continue
			}
			v := yes
			if sec.Kind != "Else" {
				v = evalIf(sec.Node.Arg(0), sc.Method)
			}
			switch v {
			case yes:
				sc.Chain = append(sc.Chain, sec)
				done = true
			case unknown:
				blind = true // later branches depend on what authlint cannot evaluate
				sc.Undecided = append(sc.Undecided, sec)
			case no:
			}
		}
	}
}

// Sections returns the non-server sections of the chain.
func (sc *Scope) Sections() []*Section {
	var out []*Section
	for _, s := range sc.Chain {
		if s.Kind != "server" {
			out = append(out, s)
		}
	}
	return out
}

// ChainString renders the merged sections: "<Directory /var/www/html> →
// .htaccess in /var/www/html → <Location />".
func (sc *Scope) ChainString() string {
	var parts []string
	for _, s := range sc.Sections() {
		parts = append(parts, s.Label())
	}
	if len(parts) == 0 {
		return "server config"
	}
	return strings.Join(parts, " → ")
}

// Found is a directive in effect and the section it sits in.
type Found struct {
	Node    *ast.Node
	Section *Section
}

// All returns every directive named name in the chain, in merge order
// (directives at the top of each section, not inside nested sections).
func (sc *Scope) All(name string) []Found {
	var out []Found
	for _, sec := range sc.Chain {
		for _, n := range sec.Body {
			if !n.Block && n.Is(name) {
				out = append(out, Found{n, sec})
			}
		}
	}
	return out
}

// Last returns the directive named name that wins a scalar merge, or a
// zero Found.
func (sc *Scope) Last(name string) Found {
	all := sc.All(name)
	if len(all) == 0 {
		return Found{}
	}
	return all[len(all)-1]
}
