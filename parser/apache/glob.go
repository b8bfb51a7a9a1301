package apache

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// maxDepth is httpd's limit on nested includes and directory recursion
// ("Exceeded maximum include depth of 128").
const maxDepth = 128

func hasMeta(s string) bool { return strings.ContainsAny(s, "*?[") }

// expand lists the files an Include pattern names, in the order httpd reads
// them, and says why the pattern names nothing ("" when it is fine):
//   - a path without wildcards is that file, or when it is a directory every
//     file under it, recursively, hidden ones included, sorted by name;
//   - wildcards may sit in any component; a wildcard component matches only
//     directories unless it is the last one, skips names starting with '.'
//     unless it starts with '.' itself, and must match something; a matched
//     directory in the last component is read recursively.
//
// A plain file is returned without checking that it exists: reading it
// tells, and that also works with a Loader's own read function.
func expand(pattern string) (files []string, miss string) {
	comps := strings.Split(pattern, "/")
	k := 0
	for k < len(comps) && !hasMeta(comps[k]) {
		k++
	}
	if k == len(comps) {
		return plain(pattern, 0), ""
	}
	dir := strings.Join(comps[:k], "/")
	if dir == "" {
		dir = "."
		if filepath.IsAbs(pattern) {
			dir = "/"
		}
	}
	return expandIn(dir, comps[k:], 0)
}

func expandIn(dir string, comps []string, depth int) (files []string, miss string) {
	comp := comps[0]
	if !hasMeta(comp) {
		p := filepath.Join(dir, comp)
		if len(comps) == 1 {
			return plain(p, depth), ""
		}
		return expandIn(p, comps[1:], depth)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, "could not open directory " + dir
	}
	matched := false
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") && !strings.HasPrefix(comp, ".") {
			continue
		}
		ok, err := filepath.Match(comp, name)
		if err != nil {
			return nil, fmt.Sprintf("bad wildcard '%s': %v", comp, err)
		}
		if !ok {
			continue
		}
		p := filepath.Join(dir, name)
		if len(comps) > 1 {
			if !isDir(p) {
				continue
			}
			matched = true
			sub, subMiss := expandIn(p, comps[1:], depth)
			files = append(files, sub...)
			if subMiss != "" {
				return files, subMiss
			}
			continue
		}
		matched = true
		files = append(files, plain(p, depth)...)
	}
	if !matched {
		return files, fmt.Sprintf("no matches for the wildcard '%s' in '%s'", comp, dir)
	}
	return files, ""
}

// plain returns p, or every file under p when p is a directory.
func plain(p string, depth int) []string {
	if !isDir(p) {
		return []string{p}
	}
	if depth >= maxDepth {
		return nil
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return nil
	}
	var files []string
	for _, e := range entries {
		files = append(files, plain(filepath.Join(p, e.Name()), depth+1)...)
	}
	return files
}

// isDir follows symlinks, as httpd's stat does.
func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
