package rules

import (
	"github.com/authlint/authlint/internal/nginxmodel"
	"github.com/authlint/authlint/parser/ast"
)

// nginx-auth-basic-no-user-file (catalog X2): auth_basic without any
// auth_basic_user_file in effect makes the handler decline, so the
// location is public although it looks protected.
func init() {
	Register(&Rule{
		ID:       "nginx-auth-basic-no-user-file",
		Summary:  "auth_basic is on but no auth_basic_user_file is in effect: the location is silently public",
		Severity: Error,
		Servers:  []ast.Kind{ast.KindNginx},
		Doc:      doc("nginx-auth-basic-no-user-file"),
		Run:      runAuthBasicNoUserFile,
	})
}

// probeMethods covers methods listed and not listed in limit_except blocks.
var probeMethods = []string{"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "UNKNOWNMETHOD"}

func runAuthBasicNoUserFile(p *Pass) {
	for _, s := range nginxServers(p) {
		scopes := s.Scopes()
		for _, sc := range scopes {
			for _, m := range probeMethods {
				a := sc.AuthFor(m)
				if !a.Missing || (a.Scope == sc && hasLimitExcept(sc)) {
					// Methods a limit_except lets through unrestricted are
					// meant to be public; only the restricted ones count.
					continue
				}
				if a.Scope.DeniesAll() {
					continue // `deny all` answers 403 first: nothing is served
				}
				who := "anyone"
				if hasDeny(a.Scope.Effective("allow")) {
					who = "every client its allow/deny list admits"
				}
				p.Report(Finding{
					Pos: a.By.Pos, End: a.By.End,
					Message: directiveText(a.By) + " is in effect for " + sc.Chain() +
						" but no auth_basic_user_file is set at any level: nginx skips the password check and serves it to " + who,
					Hint: "add `auth_basic_user_file /etc/nginx/.htpasswd;` at the same or an outer level (nginx -t accepts the config without it)",
				})
				break
			}
		}
	}
}

// hasLimitExcept reports a limit_except in the scope's own location; a
// nested location does not inherit its parent's (see nginxmodel).
func hasLimitExcept(sc *nginxmodel.Scope) bool {
	if sc.Location == nil {
		return false
	}
	for _, d := range sc.Location.Node.Children {
		if d.Is("limit_except") {
			return true
		}
	}
	return false
}

func hasDeny(list []*ast.Node) bool {
	for _, d := range list {
		if d.Is("deny") {
			return true
		}
	}
	return false
}
