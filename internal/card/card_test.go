package card

import (
	"bytes"
	"errors"
	"flag"
	"image"
	"image/png"
	"os"
	"strings"
	"testing"

	"golang.org/x/image/font"
)

// -sample writes the cards of TestRender to this folder so a person can look
// at them: go test ./internal/card -run TestRender -sample /tmp
var sample = flag.String("sample", "", "write each test card as a PNG into this folder")

var long = "A title that goes on and on about Django and Flask and every extension either of them has ever had, far too long for any card"

var cards = []struct {
	name string
	card Card
}{
	{"two subjects", Card{Site: "versus", Title: "Flask fits this project (78%)", Subtitle: "Django vs Flask: a recommendation from 6 answers", Bars: []Bar{{"Django", 22, false, 0}, {"Flask", 78, true, 1}}}},
	{"tie", Card{Site: "versus", Title: "Django and Flask tie", Subtitle: "Django vs Flask", Bars: []Bar{{"Django", 50, false, 0}, {"Flask", 50, false, 1}}}},
	{"long title and subtitle", Card{Site: "versus", Title: long, Subtitle: long + " " + long, Bars: []Bar{{"Django", 0, false, 0}, {"Flask", 100, true, 1}}}},
	{"one unbreakable word", Card{Site: "versus", Title: strings.Repeat("W", 200), Subtitle: strings.Repeat("m", 300), Bars: []Bar{{strings.Repeat("L", 100), 3, true, 0}}}},
	{"four bars", Card{Site: "versus", Title: long, Subtitle: "subtitle", Bars: []Bar{{"A", 40, true, 0}, {"B", 30, false, 1}, {"C", 20, false, 2}, {"D", 10, false, 3}}}},
	{"no bars", Card{Site: "versus", Title: long + " " + long, Subtitle: long}},
	{"hostile text", Card{Site: "\x00versus\n", Title: "bad \xff\xfe utf8 \r\n and <script>", Subtitle: "\t\t", Bars: []Bar{{"\u202e" + "evil", 100, true, 0}}}},
}

func TestRender(t *testing.T) {
	for _, tt := range cards {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Render(&buf, tt.card); err != nil {
				t.Fatalf("Render: %v", err)
			}
			img, err := png.Decode(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if b := img.Bounds(); b != image.Rect(0, 0, Width, Height) {
				t.Fatalf("bounds %v, want %dx%d", b, Width, Height)
			}
			var again bytes.Buffer
			if err := Render(&again, tt.card); err != nil {
				t.Fatalf("second Render: %v", err)
			}
			if !bytes.Equal(buf.Bytes(), again.Bytes()) {
				t.Error("the same card gave different bytes")
			}
			if *sample != "" {
				name := strings.ReplaceAll(tt.name, " ", "-") + ".png"
				if err := os.WriteFile(*sample+"/"+name, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// TestLayoutInsideMargins checks every line of text against the margins
// with the same measure the renderer uses, and that text stays above the
// bars.
func TestLayoutInsideMargins(t *testing.T) {
	fs, err := newFaces()
	if err != nil {
		t.Fatal(err)
	}
	defer fs.close()
	for _, tt := range cards {
		t.Run(tt.name, func(t *testing.T) {
			marks := layout(tt.card, fs)
			barTop := Height - bottom
			for _, m := range marks {
				if b, ok := m.(box); ok && b.R.Min.X == margin && b.R.Min.Y < barTop {
					barTop = b.R.Min.Y
				}
			}
			var texts []text
			for _, m := range marks {
				if tx, ok := m.(text); ok {
					texts = append(texts, tx)
				}
			}
			if len(texts) == 0 {
				t.Fatal("no text laid out")
			}
			for _, tx := range texts {
				w := font.MeasureString(tx.Face, tx.S).Ceil()
				if tx.X < margin || tx.X+w > Width-margin {
					t.Errorf("%q spans x %d..%d, outside the margins %d..%d", tx.S, tx.X, tx.X+w, margin, Width-margin)
				}
				top, bottomEdge := tx.Y-tx.Face.Metrics().Ascent.Ceil(), tx.Y+tx.Face.Metrics().Descent.Ceil()
				if top < 0 || bottomEdge > Height-bottom {
					t.Errorf("%q spans y %d..%d, outside the card", tx.S, top, bottomEdge)
				}
				if tx.Face != fs.label && bottomEdge > barTop {
					t.Errorf("%q reaches y %d, into the bars at %d", tx.S, bottomEdge, barTop)
				}
				if strings.TrimSpace(tx.S) != tx.S || tx.S == "" {
					t.Errorf("line %q is empty or has stray spaces", tx.S)
				}
			}
		})
	}
}

func TestWrap(t *testing.T) {
	fs, err := newFaces()
	if err != nil {
		t.Fatal(err)
	}
	defer fs.close()
	const maxW = 600
	tests := []struct {
		name      string
		in        string
		lines     int
		wantLines int
		cut       bool
	}{
		{"fits on one line", "Flask fits", 2, 1, false},
		{"wraps at words", "Flask fits this project well for several reasons", 4, 3, false},
		{"cut with an ellipsis", long, 2, 2, true},
		{"one long word broken", strings.Repeat("x", 120), 3, 3, true},
		{"empty", "", 2, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wrap(fs.title, tt.in, maxW, tt.lines)
			if len(got) != tt.wantLines {
				t.Fatalf("wrap gave %d lines %q, want %d", len(got), got, tt.wantLines)
			}
			for _, l := range got {
				if w := font.MeasureString(fs.title, l).Ceil(); w > maxW {
					t.Errorf("line %q is %d px, wider than %d", l, w, maxW)
				}
			}
			joined := strings.Join(got, " ")
			if cut := strings.HasSuffix(joined, ellipsis); cut != tt.cut {
				t.Errorf("lines %q: cut = %v, want %v", got, cut, tt.cut)
			}
			// What is shown is the text's beginning, words intact.
			shown := strings.TrimSuffix(joined, ellipsis)
			if !tt.cut && shown != tt.in {
				t.Errorf("lines %q lose text from %q", got, tt.in)
			}
			if tt.cut && !strings.HasPrefix(strings.ReplaceAll(tt.in, " ", ""), strings.ReplaceAll(shown, " ", "")) {
				t.Errorf("lines %q are not the start of %q", got, tt.in)
			}
		})
	}
}

func TestRenderRejects(t *testing.T) {
	tests := []struct {
		name string
		card Card
		want string
	}{
		{"empty title", Card{Site: "versus", Title: "  "}, "empty title"},
		{"too many bars", Card{Title: "t", Bars: make([]Bar, MaxBars+1)}, "5 bars, at most 4"},
		{"negative percent", Card{Title: "t", Bars: []Bar{{"Django", -1, false, 0}}}, `bar 1 ("Django"): percent -1`},
		{"percent over 100", Card{Title: "t", Bars: []Bar{{"A", 50, false, 0}, {"Flask", 101, false, 1}}}, `bar 2 ("Flask"): percent 101`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Render(&buf, tt.card)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Render error = %v, want one containing %q", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes despite the error", buf.Len())
			}
		})
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  a \t b\n", "a b"},
		{"bad \xff\xfe utf8", "bad utf8"},
		{"\u202eevil\u200b", "evil"},
		{strings.Repeat("ab ", 1000), strings.TrimSpace(strings.Repeat("ab ", maxRunes/3)) + " a"},
	}
	for _, tt := range tests {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%.20q) = %.40q, want %.40q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	c := cards[0].card
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Render(&buf, c); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}

// TestRenderConcurrent backs the claim that Render is safe to call from
// many handlers at once (run with -race): faces are per call, the parsed
// fonts shared.
func TestRenderConcurrent(t *testing.T) {
	var want bytes.Buffer
	if err := Render(&want, cards[0].card); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			var buf bytes.Buffer
			err := Render(&buf, cards[0].card)
			if err == nil && !bytes.Equal(buf.Bytes(), want.Bytes()) {
				err = errors.New("concurrent render gave different bytes")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestKeyByContent(t *testing.T) {
	a := Card{Title: "ab", Subtitle: "c", Bars: []Bar{{Label: "x", Percent: 1}}}
	b := Card{Title: "a", Subtitle: "bc", Bars: []Bar{{Label: "x", Percent: 1}}}
	if a.Key() == b.Key() {
		t.Fatalf("different cards share the key %q", a.Key())
	}
	c := Card{Title: "a", Bars: []Bar{{Label: "x", Percent: 10}}}
	d := Card{Title: "a", Bars: []Bar{{Label: "x1", Percent: 0}}}
	if c.Key() == d.Key() {
		t.Fatalf("different bars share the key %q", c.Key())
	}
	if a.Key() != (Card{Title: "ab", Subtitle: "c", Bars: []Bar{{Label: "x", Percent: 1}}}).Key() {
		t.Fatal("equal cards have different keys")
	}
}
