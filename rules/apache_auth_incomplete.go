package rules

import (
	"strings"

	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/parser/ast"
)

// apache-auth-incomplete (catalog X18): the authentication directives in
// effect do not add up. A Require that needs a user without an AuthType,
// an AuthType Basic/Digest without AuthName, or a file provider without
// AuthUserFile make httpd answer 500; an AuthType with no Require that
// needs a user either leaves the area public (an inherited `Require all
// granted` applies) or fails with 500 (no Require at all).
func init() {
	Register(&Rule{
		ID:       "apache-auth-incomplete",
		Summary:  "the Apache auth directives in effect are incomplete: 500 or silently public",
		Severity: Error,
		Servers:  []ast.Kind{ast.KindApache, ast.KindHtaccess},
		Doc:      doc("apache-auth-incomplete"),
		Run:      runApacheAuthIncomplete,
	})
}

func runApacheAuthIncomplete(p *Pass) {
	m := apacheModel(p)
	if m == nil || !m.HasServerConfig {
		return // without the server config the inherited directives are unknown
	}
	guardApache(p, m, func() {
		once := reportOnce{}
		eachApacheScope(m, methodsFor(p.Configs), func(s *apachemodel.Server, url string, sc *apachemodel.Scope, d *apachemodel.Decision) {
			authIncomplete(p, m, once, s, url, sc, d)
		})
	})
}

func authIncomplete(p *Pass, m *apachemodel.Model, once reportOnce, s *apachemodel.Server, url string, sc *apachemodel.Scope, d *apachemodel.Decision) {
	at := d.AuthType.Node
	if at != nil && (strings.Contains(at.Arg(0), "%{") || d.AuthType.Section.Kind == "server") {
		return // an expression (2.4.55+), or a startup error elsewhere
	}
	none := at == nil || strings.EqualFold(at.Arg(0), "None")
	chain := sc.Method + " " + url + " on " + s.Label() + " (" + sc.ChainString() + ")"
	if d.NeedsUser && none {
		r := d.Require()
		if r == nil || !once.first(r.Pos) {
			return
		}
		msg := apacheText(r) + " " + where(d.Set) + " needs a user, but no AuthType is in effect, so httpd answers 500 " +
			"(\"No authentication done but request not allowed without authentication\", AH00027) for " + chain
		if at != nil {
			msg = apacheText(r) + " " + where(d.Set) + " needs a user, but " + apacheText(at) + " " + where(d.AuthType.Section) +
				" turns authentication off, so httpd answers 500 (AH00027) for " + chain
		}
		p.Report(Finding{
			Pos: r.Pos, End: r.End, Message: msg,
			Hint: "add `AuthType Basic`, `AuthName \"...\"` and `AuthUserFile /etc/apache2/htpasswd` beside the Require",
		})
		return
	}
	if none {
		return
	}
	if d.NeedsUser {
		var missing []string
		typ := strings.ToLower(at.Arg(0))
		if (typ == "basic" || typ == "digest") && d.AuthName.Node == nil {
			missing = append(missing, "no AuthName (AH01615 \"need AuthName\")")
		}
		if usesFileProvider(sc, typ) && d.AuthUserFile.Node == nil {
			missing = append(missing, "no AuthUserFile for the file provider (AH01619: every login attempt fails with 500)")
		}
		if len(missing) == 0 || !once.first(at.Pos) {
			return
		}
		p.Report(Finding{
			Pos: at.Pos, End: at.End,
			Message: apacheText(at) + " " + where(d.AuthType.Section) + " is in effect with " + strings.Join(missing, " and ") +
				", so httpd answers 500 instead of asking for credentials for " + chain,
			Hint: "add the missing directive next to the AuthType: `AuthName \"Restricted\"`, `AuthUserFile /etc/apache2/htpasswd`",
		})
		return
	}
	if d.Forbidden || d.SatisfyAny != nil || hasUserRequire(d.AuthType.Section.Body) ||
		htaccessBelowRequiresUser(m, d.AuthType.Section) || !once.first(at.Pos) {
		return
	}
	if d.Set == nil {
		p.Report(Finding{
			Pos: at.Pos, End: at.End,
			Message: apacheText(at) + " " + where(d.AuthType.Section) + " has no Require at all in effect, so httpd answers 500 " +
				"(\"AuthType configured with no corresponding authorization directives\", AH01627) for " + chain,
			Hint: "add `Require valid-user` next to the AuthType",
		})
		return
	}
	p.Report(Finding{
		Pos: at.Pos, End: at.End,
		Message: apacheText(at) + " " + where(d.AuthType.Section) + " asks for no user: no Require that needs one is in effect, " +
			"and the inherited Require set " + where(d.Set) + " lets everyone in, so " + chain + " is served without credentials",
		Hint:    "add `Require valid-user` next to the AuthType",
		Related: []Related{{Pos: d.Set.Pos(), Message: "the Require set in effect comes from here"}},
	})
}

// usesFileProvider: mod_auth_basic and mod_auth_digest default to the file
// provider when no AuthBasicProvider/AuthDigestProvider is in effect.
func usesFileProvider(sc *apachemodel.Scope, typ string) bool {
	name := "AuthBasicProvider"
	switch typ {
	case "basic":
	case "digest":
		name = "AuthDigestProvider"
	default:
		return false // form, bearer...: their own providers
	}
	prov := sc.Last(name).Node
	if prov == nil {
		return true
	}
	for _, v := range prov.Values() {
		if strings.EqualFold(v, "file") {
			return true
		}
	}
	return false
}

// hasUserRequire reports a Require that needs a user anywhere in a section,
// nested <Files> and <If> included: an AuthType meant for those.
func hasUserRequire(body []*ast.Node) bool {
	found := false
	ast.Walk(body, func(n *ast.Node) bool {
		if !n.Block && n.Is("Require") && apachemodel.NeedsUserProvider(n) {
			found = true
		}
		return !found
	})
	return found
}

// htaccessBelowRequiresUser: an AuthType in a <Directory> is often the
// default for access files below it that add `Require valid-user`.
func htaccessBelowRequiresUser(m *apachemodel.Model, sec *apachemodel.Section) bool {
	if sec.Kind != "Directory" {
		return false
	}
	for _, h := range m.Htaccess {
		dir := m.ConfigDir(h)
		if (dir == sec.Path || strings.HasPrefix(dir, strings.TrimSuffix(sec.Path, "/")+"/")) && hasUserRequire(h.Nodes) {
			return true
		}
	}
	return false
}
