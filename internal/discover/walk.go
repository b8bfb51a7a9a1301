package discover

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/authlint/authlint/parser/ast"
)

// Walk finds the configs under roots. A root may be a file (linted when it
// sniffs as nginx or Apache, or is named like an access file; otherwise a
// Note says why not) or a directory, walked recursively in sorted order.
//
// Symlinks: symlinked files are followed. One File is kept per real path:
// the first one reached in walk order (roots in the order given, names
// sorted), reported by the path as reached, and every later path to the same
// file gets a Note. So with Debian's sites-enabled/x -> ../sites-available/x
// under one root, sites-available/x is kept ("available" sorts first). A
// symlinked directory is entered only when its real path is neither inside
// a root (it is walked there anyway) nor already walked, which also stops
// loops.
//
// err is non-nil only when a root does not exist.
func Walk(roots []string, opts Options) (files []File, notes []Note, err error) {
	w := newWalker(opts)
	var missing []error
	for _, root := range roots {
		if r, rerr := filepath.EvalSymlinks(root); rerr == nil {
			w.roots = append(w.roots, r)
		}
	}
	for _, root := range roots {
		fi, serr := os.Stat(root)
		switch {
		case errors.Is(serr, fs.ErrNotExist):
			missing = append(missing, fmt.Errorf("%s: no such file or directory", root))
		case serr != nil:
			w.note(root, serr.Error())
		case fi.IsDir():
			w.dir(root, root)
		case fi.Mode().IsRegular():
			w.file(root, fi, true)
		default:
			w.note(root, "not a regular file or directory")
		}
	}
	return w.files, w.notes, errors.Join(missing...)
}

// ValidateExcludes reports the first malformed glob, for the CLI to reject
// before walking (Walk itself notes a bad pattern and ignores it).
func ValidateExcludes(patterns []string) error {
	for _, p := range patterns {
		if !doublestar.ValidatePattern(p) {
			return fmt.Errorf("bad exclude pattern %q", p)
		}
	}
	return nil
}

type walker struct {
	exclude     []string
	accessNames map[string]bool
	roots       []string          // real paths of the roots
	dirsSeen    map[string]bool   // real paths of directories entered
	filesSeen   map[string]string // real path -> path as kept
	files       []File
	notes       []Note
}

func newWalker(opts Options) *walker {
	w := &walker{
		accessNames: map[string]bool{},
		dirsSeen:    map[string]bool{},
		filesSeen:   map[string]string{},
	}
	names := opts.AccessFileNames
	if len(names) == 0 {
		names = []string{".htaccess"}
	}
	for _, n := range names {
		w.accessNames[n] = true
	}
	for _, p := range opts.Exclude {
		if doublestar.ValidatePattern(p) {
			w.exclude = append(w.exclude, p)
		} else {
			w.note("", fmt.Sprintf("bad exclude pattern %q ignored", p))
		}
	}
	return w
}

func (w *walker) note(path, msg string) { w.notes = append(w.notes, Note{Path: path, Message: msg}) }

// excluded matches the exclude globs against the slash path relative to
// the scan root and against the base name.
func (w *walker) excluded(rel string) bool {
	base := pathBase(rel)
	for _, p := range w.exclude {
		if ok, _ := doublestar.Match(p, rel); ok {
			return true
		}
		if ok, _ := doublestar.Match(p, base); ok {
			return true
		}
	}
	return false
}

func pathBase(rel string) string {
	if i := strings.LastIndexByte(rel, '/'); i >= 0 {
		return rel[i+1:]
	}
	return rel
}

// dir walks one directory; root is the scan root it was reached from.
func (w *walker) dir(path, root string) {
	realPath, err := filepath.EvalSymlinks(path)
	if err != nil {
		w.note(path, err.Error())
		return
	}
	if w.dirsSeen[realPath] {
		w.note(path, "directory already walked as "+realPath+" (symlink loop or duplicate); skipped")
		return
	}
	w.dirsSeen[realPath] = true
	entries, err := os.ReadDir(path)
	if err != nil {
		w.note(path, err.Error())
		return
	}
	for _, e := range entries { // os.ReadDir sorts by name
		p := filepath.Join(path, e.Name())
		rel, rerr := filepath.Rel(root, p)
		if rerr != nil {
			rel = e.Name()
		}
		if w.excluded(filepath.ToSlash(rel)) {
			continue
		}
		fi, serr := os.Stat(p) // follows symlinks
		if serr != nil {
			w.note(p, linkError(serr))
			continue
		}
		switch {
		case fi.IsDir():
			if skipDirs[e.Name()] {
				continue
			}
			if e.Type()&fs.ModeSymlink != 0 && w.insideRoot(p) {
				continue // its target is walked under its own path
			}
			w.dir(p, root)
		case fi.Mode().IsRegular():
			w.file(p, fi, false)
		}
	}
}

// insideRoot reports whether a symlinked directory points into one of the
// roots, where the walk reaches it by its real path.
func (w *walker) insideRoot(link string) bool {
	realPath, err := filepath.EvalSymlinks(link)
	if err != nil {
		return false
	}
	for _, r := range w.roots {
		if rel, err := filepath.Rel(r, realPath); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

func linkError(err error) string {
	if errors.Is(err, syscall.ELOOP) {
		return "symlink loop; skipped"
	}
	if errors.Is(err, fs.ErrNotExist) {
		return "broken symlink; skipped"
	}
	return err.Error()
}

// file classifies one regular file. explicit files (roots) get a Note when
// they are not linted; files found in a walk are skipped silently.
func (w *walker) file(path string, fi fs.FileInfo, explicit bool) {
	base := filepath.Base(path)
	access := w.accessNames[base]
	if !explicit && !access && skipByName(path) {
		return
	}
	realPath, err := filepath.EvalSymlinks(path)
	if err != nil {
		w.note(path, err.Error())
		return
	}
	if _, dup := w.filesSeen[realPath]; dup {
		// Debian's sites-enabled/ links into sites-available/: the same
		// file reached twice is linted once, silently (not worth a finding).
		return
	}
	if fi.Size() > maxSize {
		w.note(path, fmt.Sprintf("larger than %d MiB; skipped", maxSize>>20))
		return
	}
	content, err := readHead(path)
	if err != nil {
		w.note(path, err.Error())
		return
	}
	if bytes.IndexByte(content[:min(len(content), binaryProbe)], 0) >= 0 {
		w.note(path, "binary file (NUL byte in the first 8 KiB); skipped")
		return
	}
	var kind ast.Kind
	var reason string
	ok := true
	if access {
		kind, reason = ast.KindHtaccess, "access file name "+base
	} else {
		kind, reason, ok = Classify(path, content)
	}
	if !ok {
		if explicit {
			w.note(path, "not recognized as an nginx or Apache config ("+reason+"); skipped")
		}
		return
	}
	w.filesSeen[realPath] = path
	w.files = append(w.files, File{Path: path, Kind: kind, Reason: reason})
}

// readHead reads what the sniffer looks at.
func readHead(path string) ([]byte, error) {
	f, err := os.Open(path) //nolint:gosec // reading user-supplied config paths is the tool's purpose
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, sniffLimit))
}
