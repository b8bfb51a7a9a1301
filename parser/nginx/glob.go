package nginx

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// hasGlob reports whether an include name is a pattern: nginx's
// ngx_conf_include globs only when the name contains one of "*?[".
func hasGlob(name string) bool { return strings.ContainsAny(name, "*?[") }

// glob expands pattern like glob(3) with no flags, which nginx uses: a
// leading '.' of a name is matched only by a literal '.', `[!...]` negates,
// results are sorted byte-wise (nginx runs in the C locale). Directories are
// dropped, as nginx cannot read them as files. No match is not an error.
func glob(pattern string) []string {
	pattern = filepath.Clean(pattern)
	dirs := []string{"/"}
	rest := strings.TrimPrefix(pattern, "/")
	if !filepath.IsAbs(pattern) {
		dirs = []string{"."}
		rest = pattern
	}
	parts := strings.Split(rest, "/")
	for i, part := range parts {
		last := i == len(parts)-1
		var next []string
		for _, dir := range dirs {
			next = append(next, globStep(dir, part, last)...)
		}
		dirs = next
	}
	sort.Strings(dirs)
	return dirs
}

// globStep matches one path element in dir.
func globStep(dir, part string, last bool) []string {
	keep := func(p string) bool {
		st, err := os.Stat(p)
		if err != nil {
			return false
		}
		return st.IsDir() != last
	}
	if !hasGlob(part) {
		p := filepath.Join(dir, part)
		if keep(p) {
			return []string{p}
		}
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	goPattern := strings.ReplaceAll(part, "[!", "[^")
	var out []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") && !strings.HasPrefix(part, ".") {
			continue // glob(3): hidden names need a literal dot
		}
		if ok, err := filepath.Match(goPattern, name); err != nil || !ok {
			continue
		}
		p := filepath.Join(dir, name)
		if keep(p) {
			out = append(out, p)
		}
	}
	return out
}
