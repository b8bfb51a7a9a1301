package rules

import (
	"path/filepath"
	"strings"

	"github.com/authlint/authlint/internal/nginxmodel"
	"github.com/authlint/authlint/parser/ast"
)

// auth-file-web-exposed (catalog X5): the password file lies under a
// directory the server serves, and nothing denies its URI, so anyone can
// download the hashes. nginx has no default dotfile protection.
func init() {
	Register(&Rule{
		ID:       "auth-file-web-exposed",
		Summary:  "the password file is served as a static file",
		Severity: Error,
		Servers:  []ast.Kind{ast.KindNginx},
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
	if st.Location != sc.Location || st.Return != nil || st.NeedsAuth() || !st.Location.ServesStatic() || st.Scope.DeniesAll() {
		return false
	}
	if st.Location != nil {
		for _, c := range st.Location.Node.Children {
			if c.Is("internal") {
				return false
			}
		}
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
