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

// ProbesUnder returns URIs under a protected location's prefix worth
// testing for a bypass: the prefix itself, a few common file types and a
// sub-directory, and for every regex location of the server the literal
// parts it names appended to the prefix (`\.php$` gives prefix+"x.php").
// For an exact location the URIs just below it and its index target.
func (l *Location) ProbesUnder() []string {
	base := l.Pattern
	if l.Mod == "=" {
		out := []string{base + "/", base + "/x"}
		if strings.HasSuffix(base, "/") {
			out = []string{base + "index.html", base + "x"}
		}
		return out
	}
	if l.IsRegex() || l.Mod == "@" {
		return nil
	}
	return l.Server.ProbesUnderPrefix(base)
}

// ProbesUnderPrefix returns URIs under a path prefix worth testing: the
// prefix, common file types and a sub-directory below it, the literal
// parts of every regex location appended to it, and the longer prefix
// locations inside it. Every URI starts with base.
func (s *Server) ProbesUnderPrefix(base string) []string {
	dir := base
	if !strings.HasSuffix(dir, "/") {
		dir += "/"
	}
	out := []string{base, dir, dir + "x", dir + "x/", dir + "index.html", dir + "x.php", dir + "a.js", dir + "a.css", dir + "a.png"}
	for _, other := range s.AllLocations() {
		switch {
		case other.IsRegex():
			for _, lit := range regexLiteral(other.Pattern) {
				if strings.HasPrefix(lit, base) {
					out = append(out, lit)
				}
				out = append(out, dir+strings.TrimPrefix(lit, "/"))
			}
		case other.Mod != "@" && len(other.Pattern) > len(base) && strings.HasPrefix(other.Pattern, base):
			out = append(out, other.Pattern, other.Pattern+"x")
		}
	}
	var uniq []string
	seen := map[string]bool{}
	for _, u := range out {
		if !seen[u] && strings.HasPrefix(u, base) {
			seen[u] = true
			uniq = append(uniq, u)
		}
	}
	return uniq
}

// IsWithin reports whether l is o or nested inside o.
func (l *Location) IsWithin(o *Location) bool {
	for cur := l; cur != nil; cur = cur.Parent {
		if cur == o {
			return true
		}
	}
	return false
}
