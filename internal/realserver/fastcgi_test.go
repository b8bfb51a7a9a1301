package realserver

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"maps"
	"testing"
)

// pair encodes one FastCGI name-value pair, with four-byte lengths when
// long is set or a length needs it.
func pair(name, value string, long bool) []byte {
	var b []byte
	for _, s := range []string{name, value} {
		if long || len(s) > 127 {
			b = binary.BigEndian.AppendUint32(b, uint32(len(s))|1<<31)
		} else {
			b = append(b, byte(len(s)))
		}
	}
	return append(append(b, name...), value...)
}

func TestParsePairs(t *testing.T) {
	long := string(bytes.Repeat([]byte("x"), 300))
	var all []byte
	all = append(all, pair("HTTP_AUTHORIZATION", "Bearer tok", false)...)
	all = append(all, pair("EMPTY", "", true)...)
	all = append(all, pair("LONG", long, false)...)
	got, err := parsePairs(all)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"HTTP_AUTHORIZATION": "Bearer tok", "EMPTY": "", "LONG": long}
	if !maps.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	for _, bad := range [][]byte{{5}, {5, 1, 'a'}, {0x80, 0, 0}, pair("A", "B", false)[:3]} {
		if _, err := parsePairs(bad); !errors.Is(err, errShortPair) {
			t.Errorf("parsePairs(%v) = %v, want errShortPair", bad, err)
		}
	}
}

func FuzzParsePairs(f *testing.F) {
	f.Add(pair("HTTP_AUTHORIZATION", "Basic dTpw", false))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parsePairs(b)
		if err == nil && len(b) > 0 && len(m) == 0 {
			t.Errorf("%v: no error and no pairs", b)
		}
	})
}

// TestFastCGIConn plays nginx's side of one request and checks that the
// params are recorded and a complete response comes back.
func TestFastCGIConn(t *testing.T) {
	var in bytes.Buffer
	rec := func(typ byte, content []byte) {
		if err := writeRecord(&in, typ, 1, content); err != nil {
			t.Fatal(err)
		}
	}
	rec(fcgiBeginRequest, []byte{0, 1, 0, 0, 0, 0, 0, 0}) // responder, no keep-conn
	p := pair("HTTP_AUTHORIZATION", "", false)
	rec(fcgiParams, p[:2]) // params may be split across records
	rec(fcgiParams, p[2:])
	rec(fcgiParams, nil)
	rec(fcgiStdin, nil)

	var out bytes.Buffer
	var r recorder
	if err := fastCGIConn(&in, &out, &r); err != nil {
		t.Fatal(err)
	}
	got := r.take()
	if len(got) != 1 || got[0].via != "fastcgi" {
		t.Fatalf("recorded %v, want one fastcgi request", got)
	}
	if v, ok := got[0].params["HTTP_AUTHORIZATION"]; !ok || v != "" {
		t.Errorf("HTTP_AUTHORIZATION = %q, %v; want present and empty", v, ok)
	}
	var types []byte
	for {
		rc, err := readRecord(&out)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		types = append(types, rc.typ)
	}
	if want := []byte{fcgiStdout, fcgiStdout, fcgiEndRequest}; !bytes.Equal(types, want) {
		t.Errorf("response records %v, want %v", types, want)
	}
}
