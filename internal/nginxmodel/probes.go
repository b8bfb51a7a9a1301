package nginxmodel

import (
	"regexp"
	"strings"
)

// commonProbes are URIs worth trying against regex locations: the file
// types and paths that regexes in real configs name.
var commonProbes = []string{
	"/", "/index.html", "/index.php", "/x.php", "/x/", "/a.js", "/a.css", "/a.png", "/a.jpg",
	"/api/x", "/.well-known/x", "/.htpasswd", "/.git/config",
}

// SampleURIs returns URIs that this location is chosen for, when it can
// find any: for a prefix or exact location its own path; for a regex,
// URIs built from the regex's literal text and common file types. Each
// candidate is checked with Find, so the list holds only URIs the location
// really serves.
func (l *Location) SampleURIs() []string {
	var candidates []string
	switch l.Mod {
	case "=":
		candidates = []string{l.Pattern}
	case "", "^~":
		candidates = []string{l.Pattern}
		if strings.HasSuffix(l.Pattern, "/") {
			candidates = append(candidates, l.Pattern+"x", l.Pattern+"index.html")
		} else {
			candidates = append(candidates, l.Pattern+"/")
		}
	case "~", "~*":
		candidates = append(candidates, regexLiteral(l.Pattern)...)
		candidates = append(candidates, commonProbes...)
	}
	var out []string
	seen := map[string]bool{}
	for _, u := range candidates {
		if !strings.HasPrefix(u, "/") {
			u = "/" + u
		}
		if seen[u] || l.Server.Find(u) != l {
			continue
		}
		seen[u] = true
		out = append(out, u)
	}
	return out
}

var (
	reAnyRun  = regexp.MustCompile(`\.\*|\.\+|\[\^/\]\+|\[\^/\]\*|\\w\+|\\d\+|\[[^\]]*\][+*]?`)
	reGroupOr = regexp.MustCompile(`\(\?:|\(`)
)

// regexLiteral guesses URIs a regex matches from its literal parts:
// `^/admin/.*\.php$` gives `/admin/x.php`. Alternations take the first
// branch. The guesses are only candidates; callers check them.
func regexLiteral(re string) []string {
	s := strings.TrimPrefix(re, "^")
	s = strings.TrimSuffix(s, "$")
	s = reAnyRun.ReplaceAllString(s, "x")
	s = reGroupOr.ReplaceAllString(s, "")
	var b strings.Builder
	skip := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case skip && c != ')':
			continue
		case c == '|':
			skip = true
		case c == ')':
			skip = false
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '?' || c == '*' || c == '+':
		case c == '.':
			b.WriteByte('x')
		default:
			b.WriteByte(c)
		}
	}
	lit := b.String()
	if strings.HasPrefix(re, "^") {
		return []string{lit}
	}
	// Unanchored: the literal may sit after any path.
	return []string{"/x" + lit, "/x/" + lit, "/" + lit}
}
