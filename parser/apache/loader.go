package apache

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/authlint/authlint/internal/paths"
	"github.com/authlint/authlint/parser/ast"
)

// Loader parses each file once and splices includes per include site. It
// is safe for concurrent use.
type Loader struct {
	res  *paths.Resolver
	read func(string) ([]byte, error)

	mu    sync.Mutex
	cache map[cacheKey]*parsed

	// onInclude, when set (by tests), is told of every file spliced, with
	// the include directive that spliced it, in reading order.
	onInclude func(site *ast.Node, file string)
}

type cacheKey struct {
	path string
	kind ast.Kind
}

// parsed is one file read and parsed, shared by every include site.
type parsed struct {
	src      []byte // kept for mod_macro bodies
	file     *ast.File
	problems []ast.Problem
	err      error
}

// NewLoader returns a loader that maps config paths through res (nil: every
// path is itself) and reads files with read (nil: os.ReadFile).
func NewLoader(res *paths.Resolver, read func(string) ([]byte, error)) *Loader {
	if res == nil {
		res = &paths.Resolver{}
	}
	if read == nil {
		read = paths.ReadFile
	}
	return &Loader{res: res, read: read, cache: map[cacheKey]*parsed{}}
}

func (l *Loader) parse(path string, kind ast.Kind) *parsed {
	key := cacheKey{filepath.Clean(path), kind}
	l.mu.Lock()
	defer l.mu.Unlock()
	if p, ok := l.cache[key]; ok {
		return p
	}
	p := &parsed{}
	src, err := l.read(path)
	if err != nil {
		p.err = err
	} else {
		p.src = src
		p.file, p.problems = Parse(path, src, kind)
	}
	l.cache[key] = p
	return p
}

// Load builds the config for an entry file. context is "server" (a main
// config such as apache2.conf/httpd.conf, or a lone vhost/conf snippet) or
// "htaccess". The config's Nodes are the entry's directives with every
// Include/IncludeOptional spliced in right after the include directive
// (which stays in the tree), each site with its own copy of the included
// nodes; Files lists every file read, entry first; Comments and parse
// problems are those of each file, once.
func (l *Loader) Load(entry, context string) *ast.Config {
	kind := ast.KindApache
	if context == "htaccess" {
		kind = ast.KindHtaccess
	}
	cfg := &ast.Config{Kind: kind, Entry: entry, Context: context}
	ld := &load{
		l:         l,
		cfg:       cfg,
		vars:      vars{},
		macros:    map[string]*macro{},
		seen:      map[string]bool{},
		rebaseDir: filepath.Dir(entry),
	}
	ld.base = defaultServerRoot(entry)
	ld.root = ld.base
	defer func() {
		if r := recover(); r != nil {
			at := ast.Pos{File: entry}
			cfg.Problems = append(cfg.Problems, ast.Problem{
				Code: ast.CodeParseError, Pos: at, End: at,
				Message: fmt.Sprintf("internal error while loading (please report it): %v", r),
			})
		}
		cfg.Root = ld.root
	}()

	p := ld.file(entry, kind, nil)
	if p.err != nil {
		at := ast.Pos{File: entry}
		cfg.Problems = append(cfg.Problems, ast.Problem{
			Code: ast.CodeParseError, Pos: at, End: at,
			Message: fmt.Sprintf("cannot read %s: %v", entry, p.err),
		})
		return cfg
	}
	nodes := ast.Clone(p.file.Nodes, nil, nil)
	if kind == ast.KindHtaccess {
		// .htaccess files cannot Include, and Define is not allowed there.
		cfg.Nodes = nodes
		return cfg
	}
	ld.stack = []string{identity(entry)}
	cfg.Nodes = ld.walk(nodes)
	return cfg
}

// defaultServerRoot is the ServerRoot assumed when the config sets none: the
// entry's directory, or its parent when the entry sits in one of the
// conventional subdirectories (RHEL's /etc/httpd/conf and conf.d, Debian's
// sites-*/conf-*/mods-*), because includes are relative to the server root.
func defaultServerRoot(entry string) string {
	dir := filepath.Dir(entry)
	// A snippet read on its own belongs to the main config above it, if
	// there is one within three levels: relative Includes are taken from
	// the ServerRoot that config implies.
	if base := filepath.Base(entry); base != "apache2.conf" && base != "httpd.conf" {
		d := dir
		for range 3 {
			for _, main := range []string{"apache2.conf", "httpd.conf"} {
				if _, err := os.Stat(filepath.Join(d, main)); err == nil {
					return defaultServerRoot(filepath.Join(d, main))
				}
			}
			d = filepath.Dir(d)
		}
	}
	switch filepath.Base(dir) {
	case "conf", "conf.d", "conf.modules.d", "sites-available", "sites-enabled",
		"conf-available", "conf-enabled", "mods-available", "mods-enabled":
		return filepath.Dir(dir)
	}
	return dir
}

// load is the state of one Load: the defines, ServerRoot and include stack
// in effect at the directive being read.
type load struct {
	l         *Loader
	cfg       *ast.Config
	vars      vars
	seen      map[string]bool // files already listed in cfg.Files
	rebaseDir string
	base      string            // ServerRoot as written, for relative includes
	root      string            // ServerRoot resolved to a readable directory
	stack     []string          // identities of the files being read, entry first
	macros    map[string]*macro // by lower-case name
	expanding []string          // macros being expanded, for recursion
	splices   int               // files spliced so far
	stopped   bool              // maxSplices reached and reported
}

// file parses a file (once per Loader) and, the first time this Load reads
// it, records it with its comments and parse problems; the problems of an
// included file carry the include chain of that first site.
func (ld *load) file(path string, kind ast.Kind, site *ast.Node) *parsed {
	p := ld.l.parse(path, kind)
	if p.err != nil || ld.seen[filepath.Clean(path)] {
		return p
	}
	ld.seen[filepath.Clean(path)] = true
	ld.cfg.Files = append(ld.cfg.Files, path)
	ld.cfg.Comments = append(ld.cfg.Comments, p.file.Comments...)
	for _, prob := range p.problems {
		if site != nil {
			prob.Related = append(slices.Clip(prob.Related), related(append([]*ast.Node{site}, site.IncludeChain()...))...)
		}
		ld.cfg.Problems = append(ld.cfg.Problems, prob)
	}
	return p
}

// walk runs through nodes in order, as httpd's EXEC_ON_READ pass does:
// substitutes ${VAR}, applies Define/UnDefine/ServerRoot, and splices the
// files each Include names right after it. Conditional sections are not
// evaluated; their contents are walked like any other.
func (ld *load) walk(nodes []*ast.Node) []*ast.Node {
	out := make([]*ast.Node, 0, len(nodes))
	for _, n := range nodes {
		ld.vars.apply(n)
		out = append(out, n)
		switch {
		case n.Is("Macro"):
			// A macro body is text with $parameters until `Use` expands
			// it: no substitution, no includes here.
			ld.defineMacro(n)
		case n.Is("Use"):
			out = append(out, ld.use(n)...)
		case n.Is("UndefMacro") && len(n.Args) == 1:
			delete(ld.macros, strings.ToLower(n.Arg(0)))
		case n.Block:
			n.Children = ld.walk(n.Children)
		case n.Is("Define") && len(n.Args) == 2:
			ld.vars[n.Args[0].Value] = n.Args[1].Value
		case n.Is("UnDefine") && len(n.Args) == 1:
			delete(ld.vars, n.Args[0].Value)
		case n.Is("ServerRoot") && len(n.Args) == 1:
			ld.serverRoot(n.Args[0].Value)
		case n.Is("Include") || n.Is("IncludeOptional"):
			out = append(out, ld.include(n)...)
		}
	}
	return out
}

// serverRoot applies a ServerRoot directive. When the directory it names is
// nowhere to be found (a repository copy of a config whose ServerRoot is,
// say, /usr/local/apache2) the default root is kept: includes are then
// looked up next to the entry file rather than reported missing one by one.
func (ld *load) serverRoot(value string) {
	base := value
	if !filepath.IsAbs(base) {
		base = filepath.Join(filepath.Dir(ld.cfg.Entry), base)
	}
	root := ld.l.res.Resolve(base, "", ld.rebaseDir)
	if !ld.exists(root) && ld.exists(defaultServerRoot(ld.cfg.Entry)) {
		return
	}
	ld.base, ld.root = base, root
}

func (ld *load) exists(p string) bool {
	if ld.l.res.Exists != nil {
		return ld.l.res.Exists(p)
	}
	_, err := os.Stat(p)
	return err == nil
}

// include reads the files an Include/IncludeOptional names and returns
// their nodes, walked, for splicing after n.
func (ld *load) include(n *ast.Node) []*ast.Node {
	optional := n.Is("IncludeOptional")
	if len(n.Args) != 1 {
		ld.problem(ast.CodeParseError, n, n.Name+" takes one argument, the file, directory or wildcard to include",
			"quote a path that contains blanks")
		return nil
	}
	name := n.Args[0].Value
	pattern := ld.l.res.Resolve(name, ld.base, ld.rebaseDir)
	files, miss := expand(pattern)
	hint := "fix the path, or use IncludeOptional when the files may be absent"
	if strings.Contains(name, "${") {
		hint = "the path uses a variable no Define in the files read sets (environment variables, such as those " +
			"of Debian's envvars, are not read); " + hint
	}
	if miss != "" && !optional {
		ld.problem(ast.CodeIncludeNotFound, n, fmt.Sprintf("Include %s: %s; Apache refuses to start", name, miss), hint)
	}
	var out []*ast.Node
	for _, f := range files {
		if ld.cycle(n, f) {
			continue
		}
		p := ld.file(f, ast.KindApache, n)
		if p.err != nil {
			if errors.Is(p.err, fs.ErrNotExist) {
				if !optional {
					ld.problem(ast.CodeIncludeNotFound, n,
						fmt.Sprintf("Include %s: %s does not exist; Apache refuses to start", name, f), hint)
				}
			} else if !isDir(f) {
				ld.problem(ast.CodeIncludeNotFound, n, fmt.Sprintf("%s %s: cannot read %s: %v", n.Name, name, f, p.err), "")
			}
			continue
		}
		if ld.l.onInclude != nil {
			ld.l.onInclude(n, f)
		}
		ld.stack = append(ld.stack, identity(f))
		out = append(out, ld.walk(ast.Clone(p.file.Nodes, n.Parent, n))...)
		ld.stack = ld.stack[:len(ld.stack)-1]
	}
	return out
}

// maxSplices bounds the work on include graphs that multiply: a file that
// includes another at two sites, which includes another at two sites, ...
const maxSplices = 10000

// cycle reports an include of a file that is already being read, an include
// nesting deeper than httpd allows, or too many splices, at the include
// directive, and says whether to skip the file.
func (ld *load) cycle(n *ast.Node, f string) bool {
	id := identity(f)
	start := slices.Index(ld.stack, id)
	var msg string
	switch {
	case start >= 0:
		var names []string
		for _, s := range ld.stack[start:] {
			names = append(names, filepath.Base(s))
		}
		names = append(names, filepath.Base(f))
		msg = fmt.Sprintf("include cycle %s: Apache recurses until \"Exceeded maximum include depth of %d\" and refuses to start",
			strings.Join(names, " -> "), maxDepth)
	case len(ld.stack) >= maxDepth:
		msg = fmt.Sprintf("includes nested deeper than %d: Apache refuses to start (\"Exceeded maximum include depth\")", maxDepth)
	case !ld.budget(n):
		return true
	default:
		return false
	}
	ld.cfg.Problems = append(ld.cfg.Problems, ast.Problem{
		Code: ast.CodeIncludeCycle, Pos: n.Pos, End: n.End, Message: msg,
		Hint:    "remove the include that leads back, or narrow its wildcard so it does not match the including file",
		Related: related(n.IncludeChain()),
	})
	return true
}

// budget counts one more splice (file or macro expansion) and says whether
// it may go ahead; past maxSplices it reports once and refuses.
func (ld *load) budget(n *ast.Node) bool {
	if ld.splices < maxSplices {
		ld.splices++
		return true
	}
	if !ld.stopped {
		ld.stopped = true
		ld.cfg.Problems = append(ld.cfg.Problems, ast.Problem{
			Code: ast.CodeIncludeCycle, Pos: n.Pos, End: n.End,
			Message: fmt.Sprintf("more than %d files or macros spliced: the same files are included at many sites, "+
				"many levels deep; the rest is not read", maxSplices),
			Related: related(n.IncludeChain()),
		})
	}
	return false
}

// related describes an include chain, innermost first.
func related(chain []*ast.Node) []ast.Related {
	out := make([]ast.Related, 0, len(chain))
	for _, inc := range chain {
		out = append(out, ast.Related{Pos: inc.Pos, Message: "included from here: " + inc.Text()})
	}
	return out
}

func (ld *load) problem(code string, n *ast.Node, msg, hint string) {
	ld.cfg.Problems = append(ld.cfg.Problems, ast.Problem{
		Code: code, Pos: n.Pos, End: n.End, Message: msg, Hint: hint, Related: related(n.IncludeChain()),
	})
}

// identity names a file for cycle detection: symlinks resolved when the
// file exists on disk, so that mods-enabled/x and mods-available/x are one.
func identity(p string) string {
	if target, err := filepath.EvalSymlinks(p); err == nil {
		if abs, err := filepath.Abs(target); err == nil {
			return abs
		}
		return target
	}
	return filepath.Clean(p)
}
