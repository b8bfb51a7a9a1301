// Package lint runs authlint over a set of paths: discovery, parsing and
// loading (includes spliced, paths resolved), the rules, and the merge of
// every problem into one list of findings. The CLI only parses flags and
// prints; tests call Run directly.
package lint

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/authlint/authlint/internal/discover"
	"github.com/authlint/authlint/internal/paths"
	"github.com/authlint/authlint/internal/suppress"
	"github.com/authlint/authlint/parser/apache"
	"github.com/authlint/authlint/parser/ast"
	"github.com/authlint/authlint/parser/nginx"
	"github.com/authlint/authlint/rules"
)

// Options says what to lint and how to find the files configs name.
type Options struct {
	Paths []string // files or directories; "-" reads Stdin
	Stdin io.Reader
	// StdinFilename is the name stdin is linted under (classification,
	// positions); default "<stdin>".
	StdinFilename string
	Roots         []paths.Mapping // --root /etc/nginx=DIR
	Exclude       []string        // doublestar globs
	Policy        *rules.Policy   // URL policy from .authlint.yaml, or nil
	// DocRoot stands for DocumentRoot when the run has .htaccess files but
	// no Apache config (.authlint.yaml's docroot); default: the scanned
	// directory.
	DocRoot string
}

// Result is everything one run found.
type Result struct {
	Configs  []*ast.Config
	Findings []rules.Finding
	Files    []discover.File // every file read, with its kind
	sources  map[string][]byte
}

// Source returns the contents of a file that was read during the run, for
// showing the offending line; nil when it was not read.
func (r *Result) Source(path string) []byte { return r.sources[path] }

// ErrNoPath is returned when a named path does not exist.
var ErrNoPath = errors.New("no such file or directory")

// Run lints the paths.
func Run(opts Options) (*Result, error) {
	res := &Result{sources: map[string][]byte{}}
	stdinName := ""
	var roots []string
	for _, p := range opts.Paths {
		if p == "-" {
			stdinName = opts.StdinFilename
			if stdinName == "" {
				stdinName = "<stdin>"
			}
			data, err := io.ReadAll(opts.Stdin)
			if err != nil {
				return nil, fmt.Errorf("reading stdin: %w", err)
			}
			res.sources[stdinName] = data
			continue
		}
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("%s: %w", p, ErrNoPath)
		}
		roots = append(roots, p)
	}

	resolver := &paths.Resolver{Mappings: opts.Roots}
	for _, r := range roots {
		if sys := paths.DetectSysroot(r); sys != "" {
			resolver.Sysroot = sys
			break
		}
	}
	read := func(path string) ([]byte, error) {
		if data, ok := res.sources[path]; ok {
			return data, nil
		}
		data, err := paths.ReadFile(path)
		if err == nil {
			res.sources[path] = data
		}
		return data, err
	}

	dopts := discover.Options{Exclude: opts.Exclude}
	files, notes, err := discover.Walk(roots, dopts)
	if err != nil {
		return nil, err
	}
	if stdinName != "" {
		kind, reason, ok := discover.Classify(stdinName, res.sources[stdinName])
		if !ok {
			// Given explicitly: lint it as the more likely server anyway.
			kind, reason = ast.KindNginx, "stdin, unclassified"
		}
		files = append(files, discover.File{Path: stdinName, Kind: kind, Reason: reason})
	}
	for _, n := range notes {
		res.Findings = append(res.Findings, rules.Finding{
			Rule: rules.FileSkipped, Severity: rules.Info,
			Pos: ast.Pos{File: n.Path}, Message: n.Message,
		})
	}

	nl := nginx.NewLoader(resolver, read)
	al := apache.NewLoader(resolver, read)
	// The nginx loader infers the context (main, http, server) from the
	// file's name and top-level directives; Apache files are all read in
	// server context.
	cfgs := loadAll(files, ast.KindNginx, func(path string) *ast.Config { return nl.Load(path, "") })
	apacheCfgs := loadAll(files, ast.KindApache, func(path string) *ast.Config { return al.Load(path, "server") })
	cfgs = append(cfgs, apacheCfgs...)

	// AccessFileName may name other files than .htaccess: walk again for them.
	extra := accessFileNames(apacheCfgs)
	if len(extra) > 0 {
		dopts.AccessFileNames = extra
		more, _, err := discover.Walk(roots, dopts)
		if err != nil {
			return nil, err
		}
		files = mergeFiles(files, more)
	}
	for _, f := range files {
		if f.Kind == ast.KindHtaccess {
			cfgs = append(cfgs, al.Load(f.Path, "htaccess"))
		}
	}

	res.Configs = cfgs
	res.Files = filesRead(files, cfgs)
	res.Findings = append(res.Findings, problems(cfgs)...)
	res.Findings = append(res.Findings, rules.Run(cfgs, rules.Env{Policy: opts.Policy, Resolver: resolver, DocRoot: docRoot(opts.DocRoot, roots)})...)
	var comments []ast.Comment
	for _, c := range cfgs {
		comments = append(comments, c.Comments...)
	}
	res.Findings = suppress.Apply(res.Findings, comments)
	return res, nil
}

// loadAll loads the files of one kind so that each is linted once, in the
// context the server reads it in: every file is loaded with its includes
// spliced in, then a file that another loaded file includes is dropped as
// an entry of its own (it is linted where it is included). What is left
// are the real entries (nginx.conf, apache2.conf) and the lone snippets.
func loadAll(files []discover.File, kind ast.Kind, load func(path string) *ast.Config) []*ast.Config {
	var loaded []*ast.Config
	for _, f := range files {
		if f.Kind == kind {
			loaded = append(loaded, load(f.Path))
		}
	}
	// Roots are the files no other loaded file includes; they are kept.
	// Files inside include cycles that no root reaches are kept once each
	// cycle: the first in order, which then covers the rest.
	included := map[string]bool{}
	for _, c := range loaded {
		for _, f := range c.Files[1:] {
			if clean(f) != clean(c.Entry) {
				included[clean(f)] = true
			}
		}
	}
	covered := map[string]bool{}
	var out []*ast.Config
	keep := func(c *ast.Config) {
		out = append(out, c)
		for _, f := range c.Files {
			covered[clean(f)] = true
		}
	}
	for _, c := range loaded {
		if !included[clean(c.Entry)] {
			keep(c)
		}
	}
	for _, c := range loaded {
		if !covered[clean(c.Entry)] {
			keep(c)
		}
	}
	return out
}

// docRoot is the configured document root for .htaccess-only runs, else
// the first scanned directory, unless it mirrors a filesystem (then the
// model finds var/www/html and the like inside it).
func docRoot(configured string, roots []string) string {
	if configured != "" {
		return configured
	}
	for _, r := range roots {
		if st, err := os.Stat(r); err == nil && st.IsDir() {
			if paths.DetectSysroot(r) != "" {
				return ""
			}
			return r
		}
	}
	return ""
}

func clean(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	if resolved, err := filepath.EvalSymlinks(p); err == nil {
		return resolved
	}
	return p
}

func accessFileNames(cfgs []*ast.Config) []string {
	seen := map[string]bool{".htaccess": true}
	var out []string
	for _, c := range cfgs {
		for _, n := range apache.AccessFileNames(c) {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

func mergeFiles(a, b []discover.File) []discover.File {
	seen := map[string]bool{}
	for _, f := range a {
		seen[f.Path] = true
	}
	for _, f := range b {
		if !seen[f.Path] {
			a = append(a, f)
		}
	}
	return a
}

// filesRead lists every file the run read, the discovered ones first and
// then the ones reached only through includes.
func filesRead(files []discover.File, cfgs []*ast.Config) []discover.File {
	seen := map[string]bool{}
	var out []discover.File
	for _, f := range files {
		seen[f.Path] = true
		out = append(out, f)
	}
	for _, c := range cfgs {
		for _, p := range c.Files {
			if !seen[p] {
				seen[p] = true
				out = append(out, discover.File{Path: p, Kind: c.Kind, Reason: "included"})
			}
		}
	}
	return out
}

// problems converts the loaders' problems into findings, once each: a file
// spliced into several configs reports its parse errors only once.
func problems(cfgs []*ast.Config) []rules.Finding {
	type key struct {
		code, file, msg string
		line, col       int
	}
	seen := map[key]bool{}
	var out []rules.Finding
	for _, c := range cfgs {
		for _, p := range c.Problems {
			k := key{p.Code, clean(p.Pos.File), p.Message, p.Pos.Line, p.Pos.Col}
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, rules.FromProblem(p))
		}
	}
	return out
}
