package nginx

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/authlint/authlint/internal/paths"
	"github.com/authlint/authlint/parser/ast"
)

// Limits that keep a hostile or broken tree from hanging the loader.
const (
	maxIncludeDepth = 32
	maxSplices      = 20000
)

// Loader reads nginx configurations with their includes spliced in. It
// parses each file once, however many configurations or sites include it.
// A Loader is not safe for concurrent use.
type Loader struct {
	res    *paths.Resolver
	read   func(string) ([]byte, error)
	parsed map[string]*parsedFile
}

type parsedFile struct {
	file     *ast.File
	problems []ast.Problem
	err      error
}

// NewLoader returns a loader that resolves include paths with res (nil:
// paths as written) and reads files with read (nil: os.ReadFile).
func NewLoader(res *paths.Resolver, read func(string) ([]byte, error)) *Loader {
	if res == nil {
		res = &paths.Resolver{}
	}
	if read == nil {
		read = paths.ReadFile
	}
	return &Loader{res: res, read: read, parsed: map[string]*parsedFile{}}
}

// Prefix returns the nginx prefix (conf dir) used for cfg: the directory of
// its entry file, against which relative include names are resolved. A
// fragment read on its own (conf.d/app.conf, sites-available/x) that has an
// nginx.conf up to three directories above it gets that nginx.conf's
// directory, as nginx reads it from there.
func (l *Loader) Prefix(cfg *ast.Config) string { return l.prefixFor(cfg.Entry) }

// prefixFor finds the conf dir for entry.
func (l *Loader) prefixFor(entry string) string {
	dir := filepath.Dir(entry)
	if filepath.Base(entry) == "nginx.conf" {
		return dir
	}
	for d, i := dir, 0; i < 3; d, i = filepath.Dir(d), i+1 {
		if l.exists(filepath.Join(d, "nginx.conf")) {
			return d
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return dir
}

func (l *Loader) exists(p string) bool {
	if l.res.Exists != nil {
		return l.res.Exists(p)
	}
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// Load reads entry and splices every include at its site. context is the
// block the entry's top level lives in ("main", "http", "server"); ""
// infers it from the file.
func (l *Loader) Load(entry, context string) *ast.Config {
	cfg := &ast.Config{Kind: ast.KindNginx, Entry: entry, Context: context}
	pf := l.parse(entry)
	run := &loadRun{l: l, cfg: cfg, prefix: l.prefixFor(entry), reported: map[string]bool{}}
	run.noteFile(entry)
	if pf.err != nil {
		at := ast.Pos{File: entry, Line: 1}
		cfg.Problems = append(cfg.Problems, ast.Problem{
			Code: ast.CodeParseError, Pos: at, End: at,
			Message: fmt.Sprintf("open() %q failed (%v)", entry, pf.err),
		})
		return cfg
	}
	if cfg.Context == "" {
		cfg.Context = inferContext(entry, pf.file.Nodes)
	}
	run.report(entry, pf, nil)
	cfg.Nodes = run.expand(ast.Clone(pf.file.Nodes, nil, nil), []string{cleanPath(entry)}, nil)
	return cfg
}

// parse reads and parses path once.
func (l *Loader) parse(path string) *parsedFile {
	key := cleanPath(path)
	if pf, ok := l.parsed[key]; ok {
		return pf
	}
	pf := &parsedFile{}
	src, err := l.read(path)
	if err != nil {
		pf.err = err
	} else {
		pf.file, pf.problems = Parse(path, src)
	}
	l.parsed[key] = pf
	return pf
}

func cleanPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return filepath.Clean(p)
}

// loadRun is the state of one Load call.
type loadRun struct {
	l        *Loader
	cfg      *ast.Config
	prefix   string
	reported map[string]bool // files whose problems and comments are in cfg
	splices  int
}

func (r *loadRun) noteFile(path string) {
	if slices.Contains(r.cfg.Files, path) {
		return
	}
	r.cfg.Files = append(r.cfg.Files, path)
}

// report adds a file's parse problems and comments to the config, once per
// file however many sites include it.
func (r *loadRun) report(path string, pf *parsedFile, site *ast.Node) {
	key := cleanPath(path)
	if r.reported[key] {
		return
	}
	r.reported[key] = true
	r.cfg.Comments = append(r.cfg.Comments, pf.file.Comments...)
	for i := range pf.problems {
		p := pf.problems[i]
		if site != nil {
			p.Related = append(append([]ast.Related(nil), p.Related...), related(append([]*ast.Node{site}, site.IncludeChain()...))...)
		}
		r.cfg.Problems = append(r.cfg.Problems, p)
	}
}

// related describes an include chain, innermost first.
func related(chain []*ast.Node) []ast.Related {
	out := make([]ast.Related, 0, len(chain))
	for _, inc := range chain {
		out = append(out, ast.Related{Pos: inc.Pos, Message: "included from here: " + inc.Text()})
	}
	return out
}

// expand replaces every include directive in nodes (recursively) by the
// nodes of the files it names. stack holds the files being expanded, for
// cycle detection.
func (r *loadRun) expand(nodes []*ast.Node, stack []string, parent *ast.Node) []*ast.Node {
	out := make([]*ast.Node, 0, len(nodes))
	for _, n := range nodes {
		if n.Name == "include" && !n.Block && len(n.Args) == 1 {
			out = append(out, r.include(n, stack, parent)...)
			continue
		}
		if n.Block {
			n.Children = r.expand(n.Children, stack, n)
		}
		out = append(out, n)
	}
	return out
}

// include splices the files named by the include directive inc.
func (r *loadRun) include(inc *ast.Node, stack []string, parent *ast.Node) []*ast.Node {
	name := inc.Args[0].Value
	resolved := r.l.res.Resolve(name, r.prefix, r.prefix)
	var files []string
	if hasGlob(name) {
		files = glob(resolved)
	} else {
		files = []string{resolved}
	}
	var out []*ast.Node
	for _, f := range files {
		key := cleanPath(f)
		if problem, stop := r.tooDeep(inc, f, key, stack); stop {
			r.cfg.Problems = append(r.cfg.Problems, problem)
			continue
		}
		pf := r.l.parse(f)
		if pf.err != nil {
			r.cfg.Problems = append(r.cfg.Problems, ast.Problem{
				Code: ast.CodeIncludeNotFound, Pos: inc.Pos, End: inc.End,
				Message: fmt.Sprintf("open() %q failed (%v)", f, unwrapPathError(pf.err)),
				Hint:    "nginx -t fails on a missing include; fix the path or map it with --root",
				Related: related(inc.IncludeChain()),
			})
			continue
		}
		r.noteFile(f)
		r.report(f, pf, inc)
		r.splices++
		spliced := ast.Clone(pf.file.Nodes, parent, inc)
		out = append(out, r.expand(spliced, append(slices.Clip(stack), key), parent)...)
	}
	return out
}

// tooDeep reports an include that would recurse: a file already being
// expanded, or a chain deeper than nginx configurations ever need.
func (r *loadRun) tooDeep(inc *ast.Node, target, key string, stack []string) (ast.Problem, bool) {
	p := ast.Problem{Code: ast.CodeIncludeCycle, Pos: inc.Pos, End: inc.End, Related: related(inc.IncludeChain())}
	if slices.Contains(stack, key) {
		chain := inc.IncludeChain()
		files := make([]string, 0, len(chain)+2)
		for _, c := range slices.Backward(chain) {
			files = append(files, c.Pos.File)
		}
		files = append(files, inc.Pos.File, target)
		p.Message = fmt.Sprintf("include cycle: %s is already being included (%s)", target, strings.Join(files, " -> "))
		p.Hint = "nginx recurses until it fails; remove one include of the cycle"
		return p, true
	}
	if len(stack) >= maxIncludeDepth || r.splices >= maxSplices {
		p.Message = fmt.Sprintf("includes nested too deep or too many (depth %d, %d files spliced)", len(stack), r.splices)
		return p, true
	}
	return p, false
}

func unwrapPathError(err error) error {
	if pe, ok := errors.AsType[*os.PathError](err); ok {
		return pe.Err
	}
	return err
}

// inferContext guesses the block the top level of entry lives in.
func inferContext(entry string, nodes []*ast.Node) string {
	has := func(match func(*ast.Node) bool) bool { return slices.ContainsFunc(nodes, match) }
	if filepath.Base(entry) == "nginx.conf" || has(func(n *ast.Node) bool {
		return mainOnly[n.Name] || strings.HasPrefix(n.Name, "worker_")
	}) {
		return "main"
	}
	if has(func(n *ast.Node) bool { return httpOnly[n.Name] || (n.Name == "server" && n.Block) }) {
		return "http"
	}
	if has(func(n *ast.Node) bool { return serverOnly[n.Name] }) {
		return "server"
	}
	return "http"
}

var (
	mainOnly = map[string]bool{
		"events": true, "http": true, "stream": true, "mail": true,
		"user": true, "pid": true, "load_module": true, "daemon": true, "master_process": true,
	}
	httpOnly = map[string]bool{
		"upstream": true, "map": true, "geo": true, "split_clients": true,
		"limit_req_zone": true, "limit_conn_zone": true, "proxy_cache_path": true,
		"fastcgi_cache_path": true, "log_format": true, "server_names_hash_bucket_size": true,
	}
	serverOnly = map[string]bool{"location": true, "listen": true, "server_name": true}
)
