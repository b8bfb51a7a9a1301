package apachemodel

import (
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// Target is what translate_name makes of a URL on a server.
type Target struct {
	URL string
	// File is the filesystem path the URL maps to, as the config names it;
	// "" when the URL is proxied or no DocumentRoot is known.
	File  string
	IsDir bool // the URL ends in "/" (or names a directory on disk)
	// Alias is the Alias/ScriptAlias(Match) that mapped it; nil for
	// DocumentRoot.
	Alias *ast.Node
	CGI   bool // mapped by ScriptAlias(Match)
	// Proxy is the ProxyPass(Match) or RewriteRule [P] that hands the URL to
	// a back end (no directory walk, no .htaccess); ProxyTo its target URL.
	Proxy   *ast.Node
	ProxyTo string
	// PreAuth is a server- or vhost-level Redirect or RewriteRule [R|F|G]
	// that answers the request in translate_name, before any auth.
	PreAuth *ast.Node
	// PassAuth is a server-level RewriteRule [E=HTTP_AUTHORIZATION:...]
	// that applies to the URL.
	PassAuth *ast.Node
}

// Map runs translate_name for a URL and method.
func (s *Server) Map(url, method string) Target {
	t := Target{URL: url, IsDir: strings.HasSuffix(url, "/")}
	if r := s.redirect(url); r != nil {
		t.PreAuth = r
		return t
	}
	s.rewrite(&t, method)
	if t.PreAuth != nil || t.Proxy != nil {
		return t
	}
	if s.proxy(&t) {
		return t
	}
	for _, lvl := range serverOrder(s) {
		if s.alias(&t, lvl) {
			break
		}
	}
	if t.Alias == nil && s.DocRoot != "" {
		t.File = path.Join(s.DocRoot, url)
	}
	if t.File != "" && !t.IsDir && s.model.isDir(t.File) {
		t.IsDir = true
	}
	return t
}

func (m *Model) isDir(p string) bool {
	st, err := os.Stat(m.Real(p))
	return err == nil && st.IsDir()
}

// prefixMatch is mod_alias's alias_matches and <Location>'s test: the
// URL starts with the prefix at a path boundary.
func prefixMatch(url, prefix string) bool {
	if prefix == "" {
		return false
	}
	if !strings.HasPrefix(url, prefix) {
		return false
	}
	return strings.HasSuffix(prefix, "/") || len(url) == len(prefix) || url[len(prefix)] == '/'
}

// redirect finds a server-level mod_alias redirect for the URL: the
// vhost's first, then the main server's (mod_alias merges them so).
func (s *Server) redirect(url string) *ast.Node {
	for _, lvl := range serverOrder(s) {
		for _, n := range lvl.Top {
			if n.Block {
				continue
			}
			args := n.Values()
			switch {
			case n.Is("Redirect"), n.Is("RedirectPermanent"), n.Is("RedirectTemp"):
				if n.Is("Redirect") && len(args) > 1 && isRedirectStatus(args[0]) {
					args = args[1:]
				}
				if len(args) > 0 && prefixMatch(url, args[0]) {
					return n
				}
			case n.Is("RedirectMatch"):
				if len(args) > 1 && isRedirectStatus(args[0]) {
					args = args[1:]
				}
				if len(args) > 0 {
					if re, err := regexp.Compile(args[0]); err == nil && re.MatchString(url) {
						return n
					}
				}
			}
		}
	}
	return nil
}

// serverOrder is the vhost then the main server.
func serverOrder(s *Server) []*Server {
	if s.IsMain() {
		return []*Server{s}
	}
	return []*Server{s, s.Main}
}

func isRedirectStatus(a string) bool {
	switch strings.ToLower(a) {
	case "permanent", "temp", "seeother", "gone":
		return true
	}
	_, err := strconv.Atoi(a)
	return err == nil
}

// proxy finds ProxyPass/ProxyPassMatch for the URL: in a <Location> (one
// argument) or at server level; "!" excludes the URL.
func (s *Server) proxy(t *Target) bool {
	for _, loc := range s.locations(t.URL) {
		for _, n := range loc.Body {
			if !n.Block && n.Is("ProxyPass") && len(n.Args) >= 1 && n.Arg(0) != "!" {
				t.Proxy, t.ProxyTo = n, n.Arg(0)
			}
		}
	}
	if t.Proxy != nil {
		return true
	}
	for _, lvl := range serverOrder(s) {
		for _, n := range lvl.Top {
			if n.Block || len(n.Args) < 2 {
				continue
			}
			switch {
			case n.Is("ProxyPass") && prefixMatch(t.URL, n.Arg(0)):
				if n.Arg(1) == "!" {
					return false
				}
				t.Proxy, t.ProxyTo = n, n.Arg(1)
				return true
			case n.Is("ProxyPassMatch"):
				if re, err := regexp.Compile(n.Arg(0)); err == nil && re.MatchString(t.URL) {
					if n.Arg(1) == "!" {
						return false
					}
					t.Proxy, t.ProxyTo = n, n.Arg(1)
					return true
				}
			}
		}
	}
	return false
}

// dollarRef is a $N back reference, rewritten to ${N} for ExpandString.
var dollarRef = regexp.MustCompile(`\$(\d)`)

// alias maps the URL through the Alias family of one server level, first
// match in config order.
func (s *Server) alias(t *Target, lvl *Server) bool {
	for _, n := range lvl.Top {
		if n.Block || len(n.Args) != 2 {
			continue
		}
		switch {
		case n.Is("Alias"), n.Is("ScriptAlias"):
			if prefixMatch(t.URL, n.Arg(0)) {
				t.File = path.Join(n.Arg(1), strings.TrimPrefix(t.URL, n.Arg(0)))
				t.Alias, t.CGI = n, n.Is("ScriptAlias")
				return true
			}
		case n.Is("AliasMatch"), n.Is("ScriptAliasMatch"):
			re, err := regexp.Compile(n.Arg(0))
			if err != nil {
				continue
			}
			if m := re.FindStringSubmatchIndex(t.URL); m != nil {
				tmpl := dollarRef.ReplaceAllString(n.Arg(1), "$${${1}}")
				t.File = path.Clean(string(re.ExpandString(nil, tmpl, t.URL, m)))
				t.Alias, t.CGI = n, n.Is("ScriptAliasMatch")
				return true
			}
		}
	}
	return false
}
