// Package card draws the preview image that social sites show when someone
// shares a result link (og:image). It renders with the Go fonts compiled
// into the binary, so a card looks the same on every machine and needs no
// files, fonts or network at run time.
package card

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// Width and Height are the size Open Graph and X/Twitter large cards expect
// (1.91:1); any other size gets cropped or letterboxed by the sites.
const (
	Width  = 1200
	Height = 630
)

// MaxBars is how many subjects fit on a card with the title still readable.
const MaxBars = 4

// Card is what a preview shows: plain values, so the server decides the
// wording and this package only draws.
type Card struct {
	Site     string // the site's name, drawn small at the top ("versus")
	Title    string // the headline, e.g. "Flask fits this project (78%)"
	Subtitle string // one or two lines of context, e.g. the comparison's title
	Bars     []Bar  // one per subject, in the comparison's order
	// Even is true when no subject has points, so there are no shares to
	// show: the bars are drawn empty, with a dash for the percentage.
	Even bool
}

// Bar is one subject's share of the recommendation.
type Bar struct {
	Label   string
	Percent int  // 0..100
	Leader  bool // the subject the result recommends: marked with a star
	// Slot is the subject's colour on the page, counted from 0: the page
	// gives it the class subj-(Slot%4+1), and the card the same colour.
	Slot int
}

// Render writes c as a Width×Height PNG. The same card always gives the
// same bytes, which is what lets the server cache cards by their Key.
// Text too long for its place is wrapped and then cut with "…", never drawn
// past the margins.
func Render(w io.Writer, c Card) error {
	if err := c.validate(); err != nil {
		return err
	}
	fs, err := newFaces()
	if err != nil {
		return err
	}
	defer fs.close()
	img := image.NewRGBA(image.Rect(0, 0, Width, Height))
	draw.Draw(img, img.Bounds(), image.NewUniform(background), image.Point{}, draw.Src)
	for _, r := range layout(c, fs) {
		r.draw(img)
	}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(w, img); err != nil {
		return fmt.Errorf("card: encode png: %w", err)
	}
	return nil
}

func (c Card) validate() error {
	var errs []error
	if strings.TrimSpace(c.Title) == "" {
		errs = append(errs, errors.New("card: empty title"))
	}
	if len(c.Bars) > MaxBars {
		errs = append(errs, fmt.Errorf("card: %d bars, at most %d fit", len(c.Bars), MaxBars))
	}
	for i, b := range c.Bars {
		if b.Percent < 0 || b.Percent > 100 {
			errs = append(errs, fmt.Errorf("card: bar %d (%q): percent %d is outside 0..100", i+1, b.Label, b.Percent))
		}
	}
	return errors.Join(errs...)
}

// Colours: the page's light theme (static/site.css :root), so a shared
// card looks like the page it links to; a test holds each value to the
// stylesheet. Against the white surface the title, subtitle and site name
// have contrast ratios of 16.9, 7.2 and 8.0:1, and the subject colours
// (also used for the percentages) 6.1:1 or more, all above the WCAG AA
// 4.5:1 for text.
var (
	background = color.RGBA{0xff, 0xff, 0xff, 0xff} // --surface
	track      = color.RGBA{0xee, 0xf1, 0xf5, 0xff} // --surface-2
	titleInk   = color.RGBA{0x1a, 0x1d, 0x23, 0xff} // --text
	bodyInk    = color.RGBA{0x4f, 0x58, 0x66, 0xff} // --muted
	siteInk    = color.RGBA{0x26, 0x45, 0xb8, 0xff} // --accent
	barInks    = []color.RGBA{
		{0x0b, 0x6e, 0x4f, 0xff}, // --s1
		{0xa3, 0x40, 0x0f, 0xff}, // --s2
		{0x6d, 0x28, 0xd9, 0xff}, // --s3
		{0x0e, 0x6a, 0x86, 0xff}, // --s4
	}
)

// Geometry, in pixels.
const (
	margin      = 72 // left and right
	top         = 64
	bottom      = 64
	accentWidth = 12 // the stripe down the left edge

	siteSize     = 36
	titleSize    = 60
	titleLeading = 70
	subSize      = 30
	subLeading   = 40
	labelSize    = 30

	barRow    = 74 // one bar: label line, then the bar
	barHeight = 20
	barGap    = 12 // label baseline to bar top
	textGap   = 28 // between the text block and the bars
)

var parsed = sync.OnceValues(func() ([2]*opentype.Font, error) {
	var fs [2]*opentype.Font
	var err error
	if fs[0], err = opentype.Parse(goregular.TTF); err != nil {
		return fs, fmt.Errorf("card: parse Go Regular: %w", err)
	}
	if fs[1], err = opentype.Parse(gobold.TTF); err != nil {
		return fs, fmt.Errorf("card: parse Go Bold: %w", err)
	}
	return fs, nil
})

// faces are made per Render because a font.Face caches glyphs and is not
// safe for concurrent use; the parsed fonts behind them are shared.
type faces struct {
	site, title, sub, label font.Face
}

func newFaces() (*faces, error) {
	fonts, err := parsed()
	if err != nil {
		return nil, err
	}
	regular, bold := fonts[0], fonts[1]
	face := func(f *opentype.Font, size float64) font.Face {
		if err != nil {
			return nil
		}
		var fc font.Face
		fc, err = opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
		return fc
	}
	fs := &faces{
		site:  face(bold, siteSize),
		title: face(bold, titleSize),
		sub:   face(regular, subSize),
		label: face(bold, labelSize),
	}
	if err != nil {
		fs.close()
		return nil, fmt.Errorf("card: font face: %w", err)
	}
	return fs, nil
}

func (fs *faces) close() {
	for _, f := range []font.Face{fs.site, fs.title, fs.sub, fs.label} {
		if f != nil {
			f.Close()
		}
	}
}

// mark is one thing drawn on the card.
type mark interface{ draw(*image.RGBA) }

// text is one line of text; X and Y are the start of its baseline.
type text struct {
	S    string
	Face font.Face
	X, Y int
	Ink  color.RGBA
}

func (t text) draw(img *image.RGBA) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(t.Ink), Face: t.Face, Dot: fixed.P(t.X, t.Y)}
	d.DrawString(t.S)
}

// box is a filled rectangle whose corners are rounded by Radius.
type box struct {
	R      image.Rectangle
	Radius int
	Ink    color.RGBA
}

func (b box) draw(img *image.RGBA) {
	if b.R.Empty() {
		return
	}
	draw.DrawMask(img, b.R, image.NewUniform(b.Ink), image.Point{}, roundedMask(b.R, b.Radius), b.R.Min, draw.Over)
}

// roundedMask is the coverage of a rectangle with rounded corners,
// anti-aliased by the distance to the corner's circle.
func roundedMask(r image.Rectangle, radius int) *image.Alpha {
	m := image.NewAlpha(r)
	rad := float64(min(radius, r.Dx()/2, r.Dy()/2))
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			px, py := float64(x)+0.5, float64(y)+0.5
			cx := math.Max(float64(r.Min.X)+rad, math.Min(px, float64(r.Max.X)-rad))
			cy := math.Max(float64(r.Min.Y)+rad, math.Min(py, float64(r.Max.Y)-rad))
			d := math.Hypot(px-cx, py-cy)
			a := math.Max(0, math.Min(1, rad-d+0.5))
			if rad == 0 {
				a = 1
			}
			m.SetAlpha(x, y, color.Alpha{A: uint8(math.Round(a * 255))})
		}
	}
	return m
}

// layout places everything on the card. It is separate from drawing so the
// tests can check every line of text against the margins.
func layout(c Card, fs *faces) []mark {
	right := Width - margin
	maxW := right - margin
	marks := []mark{box{R: image.Rect(0, 0, accentWidth, Height), Ink: siteInk}}

	y := top + siteSize*3/4
	if site := clean(c.Site); site != "" {
		marks = append(marks, text{S: fit(fs.site, site, maxW), Face: fs.site, X: margin, Y: y, Ink: siteInk})
	}

	// The bars sit at the bottom; the text fills what is left above them.
	barsTop := Height - bottom - len(c.Bars)*barRow + (barRow - labelSize*3/4 - barGap - barHeight)
	if len(c.Bars) == 0 {
		barsTop = Height - bottom
	}
	limit := barsTop - textGap // lowest baseline-plus-descent allowed

	fits := func(f font.Face, baseline int) bool {
		return baseline+f.Metrics().Descent.Ceil() <= limit
	}
	lines := func(f font.Face, leading, most, baseline int) int {
		n := 0
		for b := baseline; n < most && fits(f, b); b += leading {
			n++
		}
		return n
	}

	y += titleLeading + 16
	nTitle := lines(fs.title, titleLeading, 3, y)
	for _, l := range wrap(fs.title, clean(c.Title), maxW, max(nTitle, 1)) {
		marks = append(marks, text{S: l, Face: fs.title, X: margin, Y: y, Ink: titleInk})
		y += titleLeading
	}
	y += subLeading - titleLeading + 16
	if sub := clean(c.Subtitle); sub != "" {
		if n := lines(fs.sub, subLeading, 3, y); n > 0 {
			for _, l := range wrap(fs.sub, sub, maxW, n) {
				marks = append(marks, text{S: l, Face: fs.sub, X: margin, Y: y, Ink: bodyInk})
				y += subLeading
			}
		}
	}

	for i, b := range c.Bars {
		row := barsTop + i*barRow
		base := row + labelSize*3/4
		ink := barInks[max(b.Slot, 0)%len(barInks)]
		pct := fmt.Sprintf("%d%%", b.Percent)
		if c.Even {
			pct = "–"
		}
		pw := font.MeasureString(fs.label, pct).Ceil()
		room := maxW - pw - 24
		if b.Leader {
			room -= starGap + 2*starRadius
		}
		label := fit(fs.label, clean(b.Label), room)
		marks = append(marks,
			text{S: label, Face: fs.label, X: margin, Y: base, Ink: titleInk},
			text{S: pct, Face: fs.label, X: right - pw, Y: base, Ink: ink},
		)
		if b.Leader {
			cx := margin + font.MeasureString(fs.label, label).Ceil() + starGap + starRadius
			marks = append(marks, star{CX: cx, CY: base - labelSize*7/20, R: starRadius, Ink: ink})
		}
		bar := image.Rect(margin, base+barGap, right, base+barGap+barHeight)
		marks = append(marks, box{R: bar, Radius: barHeight / 2, Ink: track})
		if b.Percent > 0 && !c.Even {
			fill := bar
			fill.Max.X = margin + max(barHeight, maxW*b.Percent/100)
			marks = append(marks, box{R: fill, Radius: barHeight / 2, Ink: ink})
		}
	}
	return marks
}

// The leader's star, after its label.
const (
	starRadius = 14
	starGap    = 14
)

// star is a filled five-pointed star centred on CX, CY, with outer radius
// R: the mark the result page gives its leader (★), drawn as a shape
// because the Go fonts have no star glyph.
type star struct {
	CX, CY, R int
	Ink       color.RGBA
}

func (s star) draw(img *image.RGBA) {
	d := 2 * s.R
	z := vector.NewRasterizer(d, d)
	for i := range 10 {
		r := float64(s.R)
		if i%2 == 1 {
			r *= 0.45
		}
		a := -math.Pi/2 + float64(i)*math.Pi/5
		x, y := float32(float64(s.R)+r*math.Cos(a)), float32(float64(s.R)+r*math.Sin(a))
		if i == 0 {
			z.MoveTo(x, y)
		} else {
			z.LineTo(x, y)
		}
	}
	z.ClosePath()
	z.DrawOp = draw.Over
	z.Draw(img, image.Rect(s.CX-s.R, s.CY-s.R, s.CX+s.R, s.CY+s.R), image.NewUniform(s.Ink), image.Point{})
}

// maxRunes bounds the text layout looks at: far more than fits on a card,
// and it keeps a hostile multi-megabyte title from costing anything.
const maxRunes = 400

// clean makes user-supplied text drawable: invalid UTF-8 and control
// characters become spaces, format characters are dropped, runs of space collapse to one, and anything
// past maxRunes is dropped (it could not fit anyway).
func clean(s string) string {
	n := 0
	for i := range s {
		if n == maxRunes {
			s = s[:i]
			break
		}
		n++
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case r == utf8.RuneError || unicode.IsControl(r):
			return ' '
		case unicode.In(r, unicode.Cf, unicode.Co, unicode.Cs):
			return -1 // invisible format marks (bidi overrides…) would draw as boxes
		}
		return r
	}, strings.ToValidUTF8(s, " "))
	return strings.Join(strings.Fields(s), " ")
}

const ellipsis = "…"

// wrap breaks s into at most maxLines lines no wider than maxW, breaking
// between words where it can and inside a word only when the word alone is
// too wide. If s does not fit, the last line ends with "…".
func wrap(f font.Face, s string, maxW, maxLines int) []string {
	width := func(s string) int { return font.MeasureString(f, s).Ceil() }
	words := strings.Fields(s)
	var out []string
	cur := ""
	for len(words) > 0 {
		w := words[0]
		cand := w
		if cur != "" {
			cand = cur + " " + w
		}
		if width(cand) <= maxW {
			cur, words = cand, words[1:]
			continue
		}
		if cur == "" { // a single word wider than the line: cut it
			head := fitRunes(f, w, maxW)
			if head == "" { // not even one rune fits
				head = string([]rune(w)[:1])
			}
			cur, words[0] = head, w[len(head):]
			if words[0] == "" {
				words = words[1:]
			}
		}
		if len(out) == maxLines-1 {
			return append(out, ellipsize(f, cur, maxW))
		}
		out = append(out, cur)
		cur = ""
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

// fit returns s, or as much of it as fits in maxW followed by "…".
func fit(f font.Face, s string, maxW int) string {
	if font.MeasureString(f, s).Ceil() <= maxW {
		return s
	}
	return ellipsize(f, s, maxW)
}

// ellipsize cuts s so that it plus "…" fits in maxW, at a word boundary
// when that keeps most of the line.
func ellipsize(f font.Face, s string, maxW int) string {
	room := maxW - font.MeasureString(f, ellipsis).Ceil()
	head := fitRunes(f, s, room)
	if i := strings.LastIndexByte(head, ' '); len(head) < len(s) && s[len(head)] != ' ' && i > len(head)*2/3 {
		head = head[:i]
	}
	return strings.TrimRight(head, " ,;:-") + ellipsis
}

// fitRunes returns the longest prefix of s no wider than maxW. It adds up
// advances and kerning as font.MeasureString does, in one pass, so a long
// string costs linear time.
func fitRunes(f font.Face, s string, maxW int) string {
	limit := fixed.I(maxW)
	var w fixed.Int26_6
	prev := rune(-1)
	for i, r := range s {
		if prev >= 0 {
			w += f.Kern(prev, r)
		}
		a, _ := f.GlyphAdvance(r)
		w += a
		if w > limit {
			return s[:i]
		}
		prev = r
	}
	return s
}

// Key names the card by everything it shows, for a cache of rendered
// cards: Render is deterministic, so two cards with one key are the same
// PNG. It is unambiguous: every text field is length-prefixed.
func (c Card) Key() string {
	var b strings.Builder
	if c.Even {
		b.WriteByte('=')
	}
	for _, s := range []string{c.Site, c.Title, c.Subtitle} {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
	}
	for _, bar := range c.Bars {
		b.WriteString(strconv.Itoa(len(bar.Label)))
		b.WriteByte(':')
		b.WriteString(bar.Label)
		b.WriteString(strconv.Itoa(bar.Percent))
		if bar.Leader {
			b.WriteByte('*')
		}
		b.WriteByte('/')
		b.WriteString(strconv.Itoa(bar.Slot))
		b.WriteByte(';')
	}
	return b.String()
}
