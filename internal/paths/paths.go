// Package paths maps the absolute paths named inside configuration files
// (include targets, document roots, password files) to the files authlint
// should read: on a live server they are what they say, in a repository copy
// they live somewhere under the scanned tree.
package paths

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Mapping says that the absolute Prefix lives in directory Dir
// (from --root /etc/nginx=deploy/nginx or the config file's roots).
type Mapping struct {
	Prefix string
	Dir    string
}

// ConventionalPrefixes are the server prefixes that a repository copy is
// rebased from when they do not exist under the scanned tree.
var ConventionalPrefixes = []string{"/etc/nginx/", "/etc/apache2/", "/etc/httpd/"}

// sysrootMarkers make a scanned directory count as a filesystem mirror.
var sysrootMarkers = []string{"etc/nginx", "etc/apache2", "etc/httpd", "var/www"}

// Resolver turns config paths into readable paths. The zero value resolves
// every path to itself.
type Resolver struct {
	Mappings []Mapping // tried first, longest prefix wins
	Sysroot  string    // scanned directory that mirrors a filesystem, or ""
	// Exists reports whether a path exists; nil means os.Stat.
	Exists func(path string) bool
}

// DetectSysroot returns dir when it mirrors a filesystem (contains etc/nginx,
// etc/apache2, etc/httpd or var/www), else "".
func DetectSysroot(dir string) string {
	for _, m := range sysrootMarkers {
		if st, err := os.Stat(filepath.Join(dir, m)); err == nil && st.IsDir() {
			return dir
		}
	}
	return ""
}

// ParseMapping parses "/abs/prefix=DIR".
func ParseMapping(s string) (Mapping, bool) {
	prefix, dir, ok := strings.Cut(s, "=")
	if !ok || !strings.HasPrefix(prefix, "/") || dir == "" {
		return Mapping{}, false
	}
	return Mapping{Prefix: filepath.Clean(prefix), Dir: filepath.Clean(dir)}, true
}

func (r *Resolver) exists(p string) bool {
	if r.Exists != nil {
		return r.Exists(p)
	}
	_, err := os.Stat(p)
	return err == nil
}

// Resolve maps a path named in a configuration to the path to read.
// A relative name is joined to base first (nginx: the prefix; Apache:
// ServerRoot). rebaseDir is where the conventional prefixes are rebased to
// (the entry file's directory, or the prefix/ServerRoot it implies).
//
// Order: explicit mappings; the sysroot; the rebased path when it exists
// (a repository copy must not be read against the machine's own
// /etc/nginx); otherwise the path itself, so that a "not found" message
// names the file as the config names it.
//
// Glob patterns are resolved by the part before their first metacharacter.
func (r *Resolver) Resolve(name, base, rebaseDir string) string {
	p := name
	if !filepath.IsAbs(p) {
		p = filepath.Join(base, p)
	}
	p = filepath.Clean(p)
	if mapped, ok := r.mapped(p); ok {
		return mapped
	}
	check := staticPart(p)
	var candidates []string
	if r.Sysroot != "" && !within(p, r.Sysroot) {
		candidates = append(candidates, filepath.Join(r.Sysroot, p))
	}
	if rebased, ok := rebase(p, rebaseDir); ok {
		candidates = append(candidates, rebased)
	}
	for _, c := range candidates {
		if r.exists(staticPartOf(c, check, p)) {
			return c
		}
	}
	return p
}

func (r *Resolver) mapped(p string) (string, bool) {
	ms := append([]Mapping(nil), r.Mappings...)
	sort.SliceStable(ms, func(i, j int) bool { return len(ms[i].Prefix) > len(ms[j].Prefix) })
	for _, m := range ms {
		if p == m.Prefix {
			return m.Dir, true
		}
		if rest, ok := strings.CutPrefix(p, m.Prefix+"/"); ok {
			return filepath.Join(m.Dir, rest), true
		}
	}
	return "", false
}

// rebase moves a conventional prefix onto dir. /etc/httpd is rebased onto
// the parent of a "conf" directory, because httpd.conf lives in
// /etc/httpd/conf/ while its includes are relative to /etc/httpd.
func rebase(p, dir string) (string, bool) {
	if dir == "" {
		return "", false
	}
	for _, prefix := range ConventionalPrefixes {
		root := strings.TrimSuffix(prefix, "/")
		if p != root && !strings.HasPrefix(p, prefix) {
			continue
		}
		target := dir
		if prefix == "/etc/httpd/" && filepath.Base(dir) == "conf" {
			target = filepath.Dir(dir)
		}
		if filepath.Clean(target) == root {
			return "", false // already the live location
		}
		return filepath.Join(target, strings.TrimPrefix(p, root)), true
	}
	return "", false
}

func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
}

// staticPart returns the leading part of a path before any glob
// metacharacter, cut back to a whole path element.
func staticPart(p string) string {
	i := strings.IndexAny(p, "*?[")
	if i < 0 {
		return p
	}
	return filepath.Dir(p[:i+1])
}

// staticPartOf returns the static part of candidate c, knowing that the
// original path p had static part check (candidates only change the prefix).
func staticPartOf(c, check, p string) string {
	return strings.TrimSuffix(c, strings.TrimPrefix(p, check))
}

// ReadFile reads a file a configuration names (or the user gave): the
// default reader of both loaders.
func ReadFile(path string) ([]byte, error) {
	return os.ReadFile(path) //nolint:gosec // reading user-supplied config paths is the tool's purpose
}
