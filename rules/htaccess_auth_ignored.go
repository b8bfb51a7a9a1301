package rules

import (
	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/parser/ast"
)

// htaccess-auth-ignored (catalog R4b): an access file asks for a password,
// but AllowOverride does not let httpd read it (None, the default since
// 2.3.9) or makes httpd skip the auth lines (Nonfatal=Override without
// AuthConfig): the directory is public, fail-open and without a word.
func init() {
	Register(&Rule{
		ID:       "htaccess-auth-ignored",
		Summary:  "the .htaccess auth is never applied: AllowOverride does not allow it",
		Severity: Error,
		Servers:  []ast.Kind{ast.KindApache, ast.KindHtaccess},
		Doc:      doc("htaccess-auth-ignored"),
		Run:      runHtaccessAuthIgnored,
	})
}

func runHtaccessAuthIgnored(p *Pass) {
	m := apacheModel(p)
	if m == nil {
		return
	}
	guardApache(p, m, func() { runHtaccessAuthIgnoredIn(p, m) })
}

func runHtaccessAuthIgnoredIn(p *Pass, m *apachemodel.Model) {
	for _, a := range htaccessAuths(m) {
		eff, ov, by := a.effect(m)
		var why string
		switch eff {
		case htNotRead:
			why = "httpd never opens the file: " + overrideSource(ov) + " applies to " + a.dir
			if !m.IsRead(a.h) {
				why = "httpd reads access files under another AccessFileName"
			}
		case htSkipped:
			why = overrideSource(ov) + " does not allow AuthConfig, and its Nonfatal=Override makes httpd skip " +
				apacheText(by) + " with only a warning in the error log (AH02295)"
		default:
			continue
		}
		p.Report(Finding{
			Pos: a.at.Pos, End: a.at.End,
			Message: "the auth in " + a.h.Path + " is ignored, so " + a.dir + " is served without a password: " + why,
			Hint: "allow it with `<Directory \"" + a.dir + "\"> AllowOverride AuthConfig </Directory>`, or better move the " +
				"auth into the server config and keep AllowOverride None",
			Related: overrideRelated(ov),
		})
	}
}
