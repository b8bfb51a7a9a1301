package apachemodel

import (
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// URLFor maps a directory the config names back to the URL that reaches
// it on this server (DocumentRoot, else an Alias), with a trailing slash;
// "" when no URL does.
func (s *Server) URLFor(dir string) string {
	dir = cleanDir(dir)
	if s.DocRoot != "" && within(dir, s.DocRoot) {
		rel, _ := filepath.Rel(s.DocRoot, dir)
		return joinURL("/", rel)
	}
	for _, lvl := range serverOrder(s) {
		for _, n := range lvl.Top {
			if !n.Block && (n.Is("Alias") || n.Is("ScriptAlias")) && len(n.Args) == 2 && within(dir, cleanDir(n.Arg(1))) {
				rel, _ := filepath.Rel(cleanDir(n.Arg(1)), dir)
				return joinURL(strings.TrimSuffix(n.Arg(0), "/")+"/", rel)
			}
		}
	}
	return ""
}

func joinURL(prefix, rel string) string {
	if rel == "." {
		return prefix
	}
	return prefix + filepath.ToSlash(rel) + "/"
}

// sampleCandidates are tried against a regex when its literal reading
// does not match.
var sampleCandidates = []string{"/", "/x", "/index.php", "/x.php", "/index.html", "/api/", "/api/x", "/cgi-bin/x", "/x.cgi"}

// SampleURL returns a URL a regex section or directive matches: its
// literal reading (anchors and escapes dropped, wildcards as "x"), else
// a common URL; "" when none matches.
func SampleURL(expr string) string {
	re, err := regexp.Compile(expr)
	if err != nil {
		return ""
	}
	lit := strings.TrimPrefix(expr, "(?i)")
	lit = strings.TrimPrefix(lit, "^")
	lit = strings.TrimSuffix(lit, "$")
	lit = firstAlternative.ReplaceAllString(lit, "$1")
	lit = wildcards.ReplaceAllString(lit, "x")
	lit = strings.NewReplacer(`\.`, ".", `\/`, "/", `\-`, "-", "(", "", ")", "", "?", "").Replace(lit)
	cands := []string{lit, "/" + lit, "/x" + lit, "x" + lit}
	if strings.HasPrefix(lit, ".") {
		cands = []string{"x" + lit, "/x" + lit} // a file name, not a dotfile
	}
	cands = append(cands, sampleCandidates...)
	for _, c := range cands {
		if re.MatchString(c) {
			return c
		}
	}
	return ""
}

// firstAlternative reads a group of alternatives, (css|js|png), as its
// first one.
var firstAlternative = regexp.MustCompile(`\((?:\?:)?([^()|]*)\|[^()]*\)`)

// wildcards are the regex pieces SampleURL reads as "x".
var wildcards = regexp.MustCompile(`\.\*|\.\+|\[\^/\]\+|\[\^/\]\*|\[[^\]]*\][+*]?|\\[wd][+*]?`)

// SampleURLs returns URLs that reach every section of the server: "/",
// each <Location>, each directory the config or an access file names,
// each Alias and ProxyPass prefix, and a file under each for the
// <Files>/<FilesMatch> sections.
func (s *Server) SampleURLs() []string {
	if s.samples == nil {
		s.samples = s.sampleURLs()
	}
	return slices.Clone(s.samples)
}

func (s *Server) sampleURLs() []string {
	urls := []string{"/"}
	add := func(u string) {
		if u != "" && strings.HasPrefix(u, "/") && !slices.Contains(urls, u) {
			urls = append(urls, u)
		}
	}
	var fileNames []string
	for _, lvl := range s.levels() {
		for _, l := range lvl.locs {
			if l.Kind == "LocationMatch" {
				u := SampleURL(l.Path)
				add(u)
				// An unanchored pattern (`\.txt$`) reaches into every
				// directory: try its sample's last element under each.
				if u != "" && !strings.HasPrefix(strings.TrimPrefix(l.Path, "(?i)"), "^") {
					fileNames = append(fileNames, u[strings.LastIndex(u, "/")+1:])
				}
			} else {
				add(l.Path)
			}
		}
		for _, d := range lvl.dirs {
			add(s.URLFor(d.Path))
		}
		for _, n := range lvl.Top {
			if n.Block {
				continue
			}
			switch {
			case n.Is("Alias"), n.Is("ScriptAlias"), n.Is("ProxyPass"):
				add(n.Arg(0))
			case n.Is("AliasMatch"), n.Is("ScriptAliasMatch"), n.Is("ProxyPassMatch"):
				add(SampleURL(n.Arg(0)))
			}
		}
		for _, r := range rewriteRules(lvl.Top) {
			if hasFlag(r.flags, "p") {
				add(SampleURL(r.node.Arg(0)))
			}
		}
		for _, d := range lvl.dirs {
			add(proxiedSample(s.URLFor(d.Path), d.Body))
		}
		for _, f := range lvl.files {
			fileNames = append(fileNames, fileSample(f))
		}
		for _, d := range lvl.dirs {
			for _, f := range nestedSections(d, "Files", "FilesMatch") {
				fileNames = append(fileNames, fileSample(f))
			}
		}
	}
	for _, h := range s.model.Htaccess {
		add(s.URLFor(s.model.ConfigDir(h)))
		add(proxiedSample(s.URLFor(s.model.ConfigDir(h)), h.Nodes))
		for _, f := range nestedSections(&Section{Body: h.Nodes}, "Files", "FilesMatch") {
			fileNames = append(fileNames, fileSample(f))
		}
	}
	dirs := slices.Clone(urls)
	for _, name := range fileNames {
		if name == "" {
			continue
		}
		for _, d := range dirs {
			if strings.HasSuffix(d, "/") {
				add(d + name)
			}
		}
	}
	return urls
}

// fileSample returns a base name a <Files>/<FilesMatch> section matches.
func fileSample(f *Section) string {
	if f.Kind == "FilesMatch" {
		return strings.TrimPrefix(SampleURL(f.Path), "/")
	}
	return strings.NewReplacer("*", "x", "?", "x").Replace(f.Path)
}

// proxiedSample returns a URL under dirURL that a per-directory
// RewriteRule [P] of body matches (its pattern is relative to the
// directory), or "".
func proxiedSample(dirURL string, body []*ast.Node) string {
	if dirURL == "" {
		return ""
	}
	for _, r := range rewriteRules(body) {
		if hasFlag(r.flags, "p") {
			if rel := strings.TrimPrefix(SampleURL(r.node.Arg(0)), "/"); rel != "" || r.node.Arg(0) == "^$" {
				return dirURL + rel
			}
		}
	}
	return ""
}
