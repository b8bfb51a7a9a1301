package rules

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/authlint/authlint/internal/nginxmodel"
	"github.com/authlint/authlint/parser/ast"
)

// nginx-auth-location-shadowed (catalog X1): a location without auth wins
// for some URI under a protected prefix, so that part of the protected
// area is served to anyone. Decided by running the location matcher on
// probe URIs, never by comparing strings.
func init() {
	Register(&Rule{
		ID:       "nginx-auth-location-shadowed",
		Summary:  "a location without auth wins for URIs under a protected prefix",
		Severity: Error,
		Servers:  []ast.Kind{ast.KindNginx},
		Doc:      doc("nginx-auth-location-shadowed"),
		Run:      runLocationShadowed,
	})
}

func runLocationShadowed(p *Pass) {
	for _, s := range nginxServers(p) {
		for _, prot := range s.AllLocations() {
			if !s.ScopeFor(prot).AuthFor("GET").Required {
				continue
			}
			for _, uri := range prot.ProbesUnder() {
				if shadowedAt(p, s, prot, uri) {
					break
				}
			}
			uncheckableRegexes(p, s, prot)
		}
	}
}

// uncheckableRegexes reports, as info, the regex locations that could win
// over the protected prefix but use PCRE features Go's regexp lacks
// (look-around, back-references): the matcher cannot try them, so a
// bypass through them would otherwise go unmentioned.
func uncheckableRegexes(p *Pass, s *nginxmodel.Server, prot *nginxmodel.Location) {
	if prot.Mod != "" {
		return // exact and ^~ locations are never overridden by regexes
	}
	for _, q := range s.AllLocations() {
		if q.RegexErr == nil || q.IsWithin(prot) || !outerOrSameLevel(q, prot) {
			continue
		}
		if st := s.ScopeFor(q); st.AuthFor("GET").Required || st.DeniesAll() {
			continue
		}
		p.Report(Finding{
			Severity: Info,
			Pos:      q.Node.Pos, End: headEnd(q.Node),
			Message: locationLabel(q) + " uses a regex feature authlint cannot evaluate (" + q.RegexErr.Error() +
				"): if it matches URIs under the protected " + locationLabel(prot) + ", nginx serves them here without auth",
			Hint:    "make the protected prefix (and the outer prefixes around it) `^~`, so that no regex of those levels can win over it",
			Related: []Related{related(prot.Node, "the protected location")},
		})
	}
}

// outerOrSameLevel reports whether regex location q is tried for requests
// that fall into prot: q sits at prot's level or at the level of one of
// prot's ancestors.
func outerOrSameLevel(q, prot *nginxmodel.Location) bool {
	for anc := prot.Parent; ; anc = anc.Parent {
		if q.Parent == anc {
			return true
		}
		if anc == nil {
			return false
		}
	}
}

// shadowedAt reports when GET uri, under the protected location prot, is
// served by an unprotected location (or the server level) that is not a
// deliberate carve-out.
func shadowedAt(p *Pass, s *nginxmodel.Server, prot *nginxmodel.Location, uri string) bool {
	winner := s.Find(uri)
	if winner == prot {
		return false
	}
	steps := s.Request("GET", uri)
	st := &steps[0]
	if st.NeedsAuth() || st.Return != nil || st.Open != nil || isCarveOut(st.Scope, winner) {
		return false
	}
	if st.Rewrite != nil {
		// `rewrite ... last`: the location the request is sent to decides.
		fin := &steps[len(steps)-1]
		for i := range steps {
			if steps[i].NeedsAuth() {
				return false
			}
		}
		if fin.Return != nil || fin.Open != nil || fin.Rewrite != nil || isCarveOut(fin.Scope, fin.Location) {
			return false
		}
	}
	how := "a regex location is tried after the longest prefix and wins over it unless the prefix is `^~`"
	hint := "make the protected location `location ^~ " + prot.Pattern +
		"` and nest the other locations inside it, or repeat the auth in this location"
	if gate := caretGate(prot, winner); gate != prot {
		// nginx reads ^~ per level: only the prefix chosen at the regex's
		// own level stops that level's regexes (V: a nested ^~ does not stop
		// a server-level regex).
		how = "a regex location is tried after the longest prefix of its own level (`" + gate.Label() +
			"`) and wins over it unless that prefix is `^~`; a `^~` on the nested location does not stop it"
		hint = "make `" + gate.Label() + "` a `^~` location and nest the regex locations it needs inside it, or repeat the auth in this location"
	}
	switch {
	case prot.Mod == "=":
		how = "an exact location covers only that one URI"
		hint = "protect the whole area with a prefix location (`location ^~ " + strings.TrimSuffix(prot.Pattern, "/") + "/`), not just the exact URI"
	case winner == nil:
		how = "no location serves it, so the server level does, without auth"
	case winner.Mod == "" || winner.Mod == "^~":
		how = "the longer prefix wins, and locations inherit settings only through nesting, never through their URI"
	}
	at, label := prot.Node, "the server level"
	if winner != nil {
		at, label = winner.Node, locationLabel(winner)
	}
	p.Report(Finding{
		Pos: at.Pos, End: headEnd(at),
		Message: fmt.Sprintf("GET %s is served by %s without auth, although it lies under the protected %s (%s:%d): %s",
			uri, label, locationLabel(prot), filepath.Base(prot.Node.Pos.File), prot.Node.Pos.Line, how),
		Hint:    hint,
		Related: []Related{related(prot.Node, "the auth that %s bypasses", uri)},
	})
	return true
}

// isCarveOut reports a location that is not a bypass: it turns auth off on
// purpose (`auth_basic off;`, `auth_request off;`), denies everyone,
// is internal, or answers 403/404.
func isCarveOut(sc *nginxmodel.Scope, winner *nginxmodel.Location) bool {
	if winner == nil {
		return false
	}
	for _, d := range winner.Node.Children {
		if (d.Is("auth_basic") || d.Is("auth_request")) && isAuthOff(d) {
			return true
		}
	}
	return winner.Internal() != nil || sc.DeniesAll()
}

// caretGate returns the location whose `^~` would stop the regex winner:
// the ancestor of prot (or prot itself) that sits at the winner's level.
// prot when the winner is not a regex.
func caretGate(prot, winner *nginxmodel.Location) *nginxmodel.Location {
	if winner == nil || !winner.IsRegex() {
		return prot
	}
	gate := prot
	for gate.Parent != nil && gate.Parent != winner.Parent && !winner.IsWithin(gate.Parent) {
		gate = gate.Parent
	}
	return gate
}
