package rules

import (
	"path/filepath"
	"strings"

	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/internal/nginxmodel"
	"github.com/authlint/authlint/parser/ast"
)

// auth-file-web-exposed (catalog X5): the password file lies under a
// directory the server serves, and nothing denies its URI, so anyone can
// download the hashes. nginx has no default dotfile protection; Apache's
// stock `<Files ".ht*">` (Debian: `<FilesMatch "^\.ht">`) covers only
// .ht* names.
func init() {
	Register(&Rule{
		ID:       "auth-file-web-exposed",
		Summary:  "the password file is served as a static file",
		Severity: Error,
		Servers:  []ast.Kind{ast.KindNginx, ast.KindApache, ast.KindHtaccess},
		Doc:      doc("auth-file-web-exposed"),
		Run:      runAuthFileExposed,
	})
}

func runAuthFileExposed(p *Pass) {
	for _, s := range nginxServers(p) {
		prefix := s.Config.Root
		if prefix == "" {
			prefix = filepath.Dir(s.Config.Entry)
		}
		scopes := s.Scopes()
		for _, fileScope := range scopes {
			d := fileScope.Scalar("auth_basic_user_file")
			if d == nil || strings.Contains(d.Arg(0), "$") {
				continue
			}
			file := abs(prefix, d.Arg(0))
			for _, sc := range scopes {
				if exposedThrough(p, s, sc, d, file, prefix) {
					break
				}
			}
		}
	}
	if m := apacheModel(p); m != nil {
		guardApache(p, m, func() { authFileExposedApache(p, m) })
	}
}

func abs(base, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(base, p)
}

// exposedThrough reports when the password file maps to a URI inside this
// scope's root or alias and a GET for that URI is served from disk to
// anyone.
func exposedThrough(p *Pass, s *nginxmodel.Server, sc *nginxmodel.Scope, d *ast.Node, file, prefix string) bool {
	root, isAlias, _ := sc.DocumentRoot()
	if strings.Contains(root, "$") {
		return false
	}
	dir := abs(prefix, root)
	rel, err := filepath.Rel(dir, file)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return false
	}
	uri := "/" + filepath.ToSlash(rel)
	if isAlias {
		if sc.Location == nil || sc.Location.IsRegex() {
			return false
		}
		uri = strings.TrimSuffix(sc.Location.Pattern, "/") + uri
	}
	steps := s.Request("GET", uri)
	st := &steps[0]
	if st.Location != sc.Location || st.Return != nil || st.Rewrite != nil || st.NeedsAuth() || !st.Location.ServesStatic() || st.Scope.DeniesAll() {
		return false
	}
	if st.Location != nil && st.Location.Internal() != nil {
		return false
	}
	p.Report(Finding{
		Pos: d.Pos, End: d.End,
		Message: "the password file " + d.Arg(0) + " lies under the directory " + root + " that " + serverLabel(s) +
			" serves: GET " + uri + " is answered with the file by " + locationLabel(st.Location) +
			" to anyone (nginx has no default protection for dot files), so the password hashes can be downloaded",
		Hint: "keep password files outside every root and alias (e.g. /etc/nginx/htpasswd), or deny them: `location ~ /\\.ht { deny all; }`",
	})
	return true
}

// authFileExposedApache is the Apache half: AuthUserFile/AuthGroupFile
// (relative names resolve against ServerRoot) under a DocumentRoot or
// Alias, and a GET for its URL is served to anyone: no <Files>,
// <FilesMatch> or <Location> denies it and no auth covers it.
func authFileExposedApache(p *Pass, m *apachemodel.Model) {
	if m.NginxOnly {
		return
	}
	serverRoot, serverRootName := "", ""
	for _, s := range m.Mains {
		if s.Config != nil && s.Config.Root != "" {
			serverRoot, serverRootName = s.Config.Root, rootName(s.Config)
			break
		}
	}
	for _, c := range p.Configs {
		if c.Kind != ast.KindApache && c.Kind != ast.KindHtaccess {
			continue
		}
		root, name := c.Root, rootName(c)
		if c.Kind == ast.KindHtaccess {
			root, name = serverRoot, serverRootName
		}
		ast.Walk(c.Nodes, func(n *ast.Node) bool {
			if !n.Block && (n.Is("AuthUserFile") || n.Is("AuthGroupFile")) {
				apacheFileExposed(p, m, n, root, name)
			}
			return true
		})
	}
}

func apacheFileExposed(p *Pass, m *apachemodel.Model, n *ast.Node, root, rootLabel string) {
	name := n.Arg(0)
	if name == "" || strings.ContainsAny(name, "$%") {
		return
	}
	file := name
	if !filepath.IsAbs(name) {
		if root == "" {
			return // an .htaccess-only run: the ServerRoot is unknown
		}
		file = filepath.Join(root, name)
	}
	if a, err := filepath.Abs(file); err == nil {
		file = a
	}
	for _, s := range m.Servers {
		url := s.URLForFile(file)
		if url == "" {
			continue
		}
		sc := s.Merge(url, "GET")
		if sc.Target.PreAuth != nil || sc.Target.Proxy != nil || sc.Fatal != nil {
			continue
		}
		d := s.Decide(sc)
		if d.NeedsUser || d.Forbidden {
			continue
		}
		rel := ""
		if !filepath.IsAbs(name) {
			rel = " (relative names resolve against ServerRoot " + rootLabel + ")"
		}
		p.Report(Finding{
			Pos: n.Pos, End: n.End,
			Message: "the password file " + name + rel + " lies under a directory that " + s.Label() + " serves: GET " + url +
				" is answered with the file to anyone (" + sc.ChainString() + "); no <Files>, <FilesMatch> or <Location> " +
				"with `Require all denied` covers it (the stock `<Files \".ht*\">` and Debian's `<FilesMatch \"^\\.ht\">` cover " +
				"only names starting with .ht), so the password hashes can be downloaded",
			Hint: "keep password files outside every DocumentRoot and Alias (e.g. /etc/apache2/htpasswd), or deny them: " +
				"`<Files \"" + filepath.Base(name) + "\"> Require all denied </Files>`",
		})
		return
	}
}

// rootName is the ServerRoot as the config writes it, for messages; the
// loader's directory when the config sets none.
func rootName(c *ast.Config) string {
	name := c.Root
	ast.Walk(c.Nodes, func(n *ast.Node) bool {
		if !n.Block && n.Is("ServerRoot") && n.Arg(0) != "" {
			name = n.Arg(0)
		}
		return true
	})
	return name
}
