package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/authlint/authlint/internal/baseline"
	"github.com/authlint/authlint/internal/config"
	"github.com/authlint/authlint/internal/lint"
	"github.com/authlint/authlint/internal/paths"
	"github.com/authlint/authlint/internal/report"
	"github.com/authlint/authlint/rules"
)

// Exit codes, as in most linters (conventions.md §5).
const (
	exitClean    = 0 // nothing at or above the fail threshold
	exitFindings = 1
	exitUsage    = 2 // bad flags, missing path, unreadable config, write failure
)

const usageText = `Usage:
  authlint [flags] [PATH...]   lint files and directories (default "."; "-" reads stdin)
  authlint rules [ID]          list the rules, or print one rule's documentation
  authlint version             print the version

Flags:
`

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// output is one report: a format and where it goes ("" = stdout).
type output struct {
	format string
	path   string
}

var formats = []string{"text", "json", "sarif", "github"}

type options struct {
	outputs       []output
	configPath    string
	noConfig      bool
	color         string
	failOn        string
	roots         stringList
	exclude       stringList
	stdinFilename string
	baseline      string
	writeBaseline string
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) > 0 {
		switch args[0] {
		case "rules":
			return runRules(args[1:], stdout, stderr)
		case "version":
			_, _ = fmt.Fprintf(stdout, "authlint %s\n", version())
			return exitClean
		}
	}
	var opts options
	fs := flag.NewFlagSet("authlint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		_, _ = fmt.Fprint(stderr, usageText)
		fs.PrintDefaults()
	}
	fs.Func("format", "output `format`: text, json, sarif or github (repeatable, each with its own -o)", func(v string) error {
		if !slices.Contains(formats, v) {
			return fmt.Errorf("unknown format %q (want %s)", v, strings.Join(formats, ", "))
		}
		opts.outputs = append(opts.outputs, output{format: v})
		return nil
	})
	toFile := func(v string) error {
		if n := len(opts.outputs); n > 0 && opts.outputs[n-1].path == "" {
			opts.outputs[n-1].path = v
			return nil
		}
		opts.outputs = append(opts.outputs, output{format: "text", path: v})
		return nil
	}
	fs.Func("o", "write the report of the preceding --format to `FILE`", toFile)
	fs.Func("output", "same as -o", toFile)
	fs.StringVar(&opts.baseline, "baseline", "", "report only findings not recorded in this baseline `file`")
	fs.StringVar(&opts.writeBaseline, "write-baseline", "", "record the current findings in this baseline `file` and exit 0")
	fs.StringVar(&opts.configPath, "config", "", "configuration `file` (default: .authlint.yaml found upwards from the working directory)")
	fs.BoolVar(&opts.noConfig, "no-config", false, "ignore .authlint.yaml")
	fs.StringVar(&opts.color, "color", "auto", "color text output: auto, always or never (auto honors NO_COLOR)")
	fs.StringVar(&opts.failOn, "fail-on", "", "exit 1 when a finding is at least this severe: error, warning or info (default warning)")
	fs.Var(&opts.roots, "root", "map an absolute prefix to a directory, `/abs/prefix=DIR` (repeatable)")
	fs.Var(&opts.exclude, "exclude", "skip files matching this `glob` (repeatable)")
	fs.StringVar(&opts.stdinFilename, "stdin-filename", "<stdin>", "file `name` to lint stdin as (with PATH \"-\")")
	targets, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitClean
		}
		return exitUsage
	}
	if len(targets) == 0 {
		targets = []string{"."}
	}
	return lintPaths(targets, &opts, stdin, stdout, stderr, getenv)
}

// parseInterleaved lets flags follow paths (`authlint /etc/nginx --format
// json`), which the flag package alone stops at.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var targets []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return targets, nil
		}
		if rest[0] == "--" {
			return append(targets, rest[1:]...), nil
		}
		targets = append(targets, rest[0])
		args = rest[1:]
	}
}

func lintPaths(targets []string, opts *options, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	fail := func(format string, a ...any) int {
		_, _ = fmt.Fprintf(stderr, "authlint: "+format+"\n", a...)
		return exitUsage
	}
	if len(opts.outputs) == 0 {
		opts.outputs = []output{{format: "text"}}
	}
	toStdout := 0
	for _, o := range opts.outputs {
		if o.path == "" {
			toStdout++
		}
	}
	if toStdout > 1 {
		return fail("only one --format can go to stdout; give the others -o FILE")
	}
	useColor, err := colorWanted(opts.color, stdout, getenv)
	if err != nil {
		return fail("%v", err)
	}
	cfg, err := loadConfig(opts)
	if err != nil {
		return fail("%v", err)
	}
	failOn := rules.Warning
	for _, s := range []string{cfg.FailOn, opts.failOn} { // the flag beats the file
		if s == "" {
			continue
		}
		if failOn, err = rules.ParseSeverity(s); err != nil {
			return fail("--fail-on: %v", err)
		}
	}
	mappings := cfg.Mappings()
	for _, r := range opts.roots {
		m, ok := paths.ParseMapping(r)
		if !ok {
			return fail("--root %q: want /abs/prefix=DIR", r)
		}
		mappings = append([]paths.Mapping{m}, mappings...)
	}

	res, err := lint.Run(lint.Options{
		Paths: targets, Stdin: stdin, StdinFilename: opts.stdinFilename,
		Roots: mappings, Exclude: append(cfg.Exclude, opts.exclude...), Policy: cfg.Policy, DocRoot: cfg.DocRootDir(),
	})
	if err != nil {
		return fail("%v", err)
	}
	findings := applySeverities(res.Findings, cfg.Rules)
	report.Sort(findings)

	wd, _ := os.Getwd()
	keyer := baseline.Keyer{Path: report.Options{WorkDir: wd}.DisplayPath, Source: res.Source}
	if opts.writeBaseline != "" {
		if err := baseline.Write(opts.writeBaseline, findings, keyer); err != nil {
			return fail("writing the baseline: %v", err)
		}
		_, _ = fmt.Fprintf(stderr, "authlint: recorded %s in %s\n", plural(len(findings), "finding"), opts.writeBaseline)
		return exitClean
	}
	if opts.baseline != "" {
		b, err := baseline.Read(opts.baseline)
		if err != nil {
			return fail("%v", err)
		}
		findings = b.New(findings, keyer)
	}

	ropts := report.Options{Color: useColor, WorkDir: wd, Source: res.Source}
	for _, o := range opts.outputs {
		if err := writeReport(o, findings, res, ropts, stdout, stderr, getenv); err != nil {
			return fail("writing the %s report: %v", o.format, err)
		}
	}
	for _, f := range findings {
		if f.Severity >= failOn {
			return exitFindings
		}
	}
	return exitClean
}

func loadConfig(opts *options) (*config.File, error) {
	path := opts.configPath
	if path == "" && !opts.noConfig {
		if wd, err := os.Getwd(); err == nil {
			path = config.Find(wd)
		}
	}
	if path == "" || (opts.noConfig && opts.configPath == "") {
		return &config.File{}, nil
	}
	return config.Load(path)
}

// applySeverities drops rules turned off and re-grades the others as the
// config file says.
func applySeverities(findings []rules.Finding, levels map[string]string) []rules.Finding {
	out := findings[:0]
	for _, f := range findings {
		switch lvl := levels[f.Rule]; lvl {
		case "":
		case "off":
			continue
		default:
			if s, err := rules.ParseSeverity(lvl); err == nil {
				f.Severity = s
			}
		}
		out = append(out, f)
	}
	return out
}

// colorWanted decides on ANSI color: never, always, or (auto) when stdout
// is a terminal, TERM is not dumb and NO_COLOR is empty (no-color.org).
func colorWanted(mode string, stdout io.Writer, getenv func(string) string) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
		if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
			return false, nil
		}
		f, ok := stdout.(*os.File)
		if !ok {
			return false, nil
		}
		st, err := f.Stat()
		return err == nil && st.Mode()&os.ModeCharDevice != 0, nil
	default:
		return false, fmt.Errorf("unknown --color %q (want auto, always or never)", mode)
	}
}

func runRules(args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		for _, r := range rules.All() {
			_, _ = fmt.Fprintf(stdout, "%-40s %-8s %s\n", r.ID, r.Severity, r.Summary)
		}
		return exitClean
	case 1:
		r, ok := rules.Lookup(args[0])
		if !ok {
			_, _ = fmt.Fprintf(stderr, "authlint: unknown rule %q; `authlint rules` lists them\n", args[0])
			return exitUsage
		}
		_, _ = fmt.Fprint(stdout, r.Doc)
		return exitClean
	default:
		_, _ = fmt.Fprintln(stderr, "authlint: usage: authlint rules [ID]")
		return exitUsage
	}
}

// version is the module version stamped by `go install mod@vX` or, since
// Go 1.24, by `go build` in a VCS checkout.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Version == "" {
		return "(devel)"
	}
	return info.Main.Version + " (" + info.GoVersion + ", " + filepath.Base(info.Path) + ")"
}

// plural renders "1 file", "2 files".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// writeReport renders one output, to stdout or to its file.
func writeReport(o output, findings []rules.Finding, res *lint.Result, ropts report.Options, stdout, stderr io.Writer, getenv func(string) string) (err error) {
	w := stdout
	if o.path != "" {
		f, err := os.Create(o.path)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}()
		w = f
		ropts.Color = false
	}
	switch o.format {
	case "json":
		files := make([]report.FileEntry, len(res.Files))
		for i, f := range res.Files {
			files[i] = report.FileEntry{Path: f.Path, Kind: f.Kind}
		}
		return report.JSON(w, findings, files, ropts)
	case "sarif":
		return report.SARIF(w, findings, version(), ropts)
	case "github":
		var summary io.Writer
		if path := getenv("GITHUB_STEP_SUMMARY"); path != "" {
			f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644) //nolint:gosec // the runner names this file
			if err != nil {
				return err
			}
			defer func() { _ = f.Close() }()
			summary = f
		}
		return report.GitHub(w, findings, ropts, summary)
	default:
		if err := report.Text(w, findings, ropts); err != nil {
			return err
		}
		if o.path == "" {
			_, _ = fmt.Fprintf(stderr, "%s in %s\n", report.Summary(findings), plural(len(res.Files), "file"))
		}
		return nil
	}
}
