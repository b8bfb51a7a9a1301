package nginxmodel

import (
	"regexp"
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// Location is one `location` block.
type Location struct {
	Node     *ast.Node
	Mod      string // "", "=", "^~", "~", "~*" or "@"
	Pattern  string // the prefix, exact URI, regex or name
	Regex    *regexp.Regexp
	RegexErr error // a PCRE feature Go cannot compile: the location never matches here
	Parent   *Location
	Children []*Location
	Server   *Server
}

// IsRegex reports a `~` or `~*` location.
func (l *Location) IsRegex() bool { return l.Mod == "~" || l.Mod == "~*" }

// Label renders the location as written: `location ~ \.php$`.
func (l *Location) Label() string {
	if l.Mod == "" {
		return "location " + l.Pattern
	}
	if l.Mod == "@" {
		return "location @" + l.Pattern
	}
	return "location " + l.Mod + " " + l.Pattern
}

func locationsIn(s *Server, parent *Location, nodes []*ast.Node) []*Location {
	var out []*Location
	for _, n := range nodes {
		if !n.Is("location") || !n.Block {
			continue
		}
		l := &Location{Node: n, Parent: parent, Server: s}
		l.Mod, l.Pattern = splitLocationArgs(n.Values())
		if l.IsRegex() {
			l.Regex, l.RegexErr = CompileRegex(l.Pattern, l.Mod == "~*")
		}
		l.Children = locationsIn(s, l, n.Children)
		out = append(out, l)
	}
	return out
}

// splitLocationArgs reads `location [=|~|~*|^~] uri` and `location @name`,
// including the glued forms nginx accepts (`location =/x`, `location ~*\.php`).
func splitLocationArgs(args []string) (mod, pattern string) {
	if len(args) >= 2 {
		switch args[0] {
		case "=", "~", "~*", "^~":
			return args[0], args[1]
		}
	}
	if len(args) == 0 {
		return "", ""
	}
	a := args[0]
	for _, m := range []string{"~*", "^~", "=", "~", "@"} {
		if rest, ok := strings.CutPrefix(a, m); ok && rest != "" {
			return m, rest
		}
	}
	return "", a
}

// CompileRegex turns an nginx (PCRE) location regex into a Go regexp.
// PCRE features Go lacks (look-around, backreferences) give an error.
func CompileRegex(pattern string, caseless bool) (*regexp.Regexp, error) {
	if caseless {
		pattern = "(?i)" + pattern
	}
	return regexp.Compile(pattern)
}

// Find returns the location nginx chooses for a normalised URI, following
// ngx_http_core_find_location(): an exact match stops the search; else the
// longest prefix is remembered and its nested locations searched; then,
// unless that prefix is `^~`, this level's regexes are tried in file order
// and the first match wins (its nested locations searched in turn). nil
// means no location matched: the server level serves the request.
func (s *Server) Find(uri string) *Location {
	loc, _ := find(s.Locations, uri)
	return loc
}

type matchResult int

const (
	declined matchResult = iota // nothing at this level
	again                       // a prefix matched; regexes may still win
	done                        // an exact or regex match: final
)

func find(level []*Location, uri string) (*Location, matchResult) {
	cur, rc := findStatic(level, uri)
	noregex := false
	if rc == again {
		noregex = cur.Mod == "^~"
		// A nested exact or regex match is final; a nested prefix replaces
		// the chosen one; with nothing nested the prefix stays chosen.
		nested, nrc := find(cur.Children, uri)
		if nrc == done {
			return nested, done
		}
		if nrc == again {
			cur = nested
		}
	}
	if rc == done {
		return cur, done
	}
	if !noregex {
		for _, l := range level {
			if !l.IsRegex() || l.Regex == nil || !l.Regex.MatchString(uri) {
				continue
			}
			if nested, nrc := find(l.Children, uri); nrc != declined {
				return nested, done
			}
			return l, done
		}
	}
	if cur == nil {
		return nil, declined
	}
	return cur, again
}

// findStatic is ngx_http_core_find_static_location over one level: an
// exact location equal to the URI, else the longest matching prefix.
func findStatic(level []*Location, uri string) (*Location, matchResult) {
	var best *Location
	for _, l := range level {
		switch l.Mod {
		case "=":
			if l.Pattern == uri {
				return l, done
			}
		case "", "^~":
			if strings.HasPrefix(uri, l.Pattern) && (best == nil || len(l.Pattern) > len(best.Pattern)) {
				best = l
			}
		}
	}
	if best == nil {
		return nil, declined
	}
	return best, again
}

// Named returns the named location `@name` of the server.
func (s *Server) Named(name string) *Location {
	for _, l := range s.Locations {
		if l.Mod == "@" && l.Pattern == strings.TrimPrefix(name, "@") {
			return l
		}
	}
	return nil
}

// AllLocations returns every location of the server, depth first.
func (s *Server) AllLocations() []*Location {
	var out []*Location
	var walk func([]*Location)
	walk = func(ls []*Location) {
		for _, l := range ls {
			out = append(out, l)
			walk(l.Children)
		}
	}
	walk(s.Locations)
	return out
}
