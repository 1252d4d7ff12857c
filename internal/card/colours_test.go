package card

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// lightTheme reads the custom properties of static/site.css's first
// :root block: the light theme, which the card draws in.
func lightTheme(t *testing.T) map[string]color.RGBA {
	t.Helper()
	css, err := os.ReadFile("../../static/site.css")
	if err != nil {
		t.Fatal(err)
	}
	root := string(css)
	i := strings.Index(root, ":root {")
	if i < 0 {
		t.Fatal("static/site.css has no :root block")
	}
	root = root[i:]
	root = root[:strings.Index(root, "}")]
	vars := map[string]color.RGBA{}
	for _, m := range regexp.MustCompile(`(--[a-z0-9-]+):\s*#([0-9a-f]{6});`).FindAllStringSubmatch(root, -1) {
		v, _ := strconv.ParseUint(m[2], 16, 32)
		vars[m[1]] = color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}
	}
	return vars
}

// TestColoursMatchThePage holds every ink of the card to the page's light
// theme, so a shared card's Django is the page's Django.
func TestColoursMatchThePage(t *testing.T) {
	vars := lightTheme(t)
	want := map[string]color.RGBA{
		"--surface": background, "--surface-2": track, "--text": titleInk, "--muted": bodyInk, "--accent": siteInk,
	}
	for i, ink := range barInks {
		want[fmt.Sprintf("--s%d", i+1)] = ink
	}
	for name, ink := range want {
		got, ok := vars[name]
		if !ok {
			t.Errorf("static/site.css :root has no %s", name)
		} else if got != ink {
			t.Errorf("%s is %v on the page, %v on the card", name, got, ink)
		}
	}
	if len(barInks) != MaxBars {
		t.Errorf("%d subject colours for %d bars", len(barInks), MaxBars)
	}
}

// TestTextContrast checks each ink drawn as text against the background
// for WCAG AA (4.5:1).
func TestTextContrast(t *testing.T) {
	inks := map[string]color.RGBA{"title": titleInk, "subtitle": bodyInk, "site": siteInk}
	for i, ink := range barInks {
		inks[fmt.Sprintf("subject %d", i+1)] = ink
	}
	for name, ink := range inks {
		if r := contrast(ink, background); r < 4.5 {
			t.Errorf("%s: contrast %.2f:1 against the background, want at least 4.5", name, r)
		}
	}
}

func contrast(a, b color.RGBA) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func luminance(c color.RGBA) float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// TestLeaderAndEven checks what the card draws, in its pixels: the
// leader's bar has a star after its label and no other bar has one, and
// an even card fills no bar.
func TestLeaderAndEven(t *testing.T) {
	bars := []Bar{{"Django", 45, false, 0}, {"Flask", 40, true, 1}, {"FastAPI", 15, false, 2}}
	render := func(c Card) *image.RGBA {
		t.Helper()
		var buf bytes.Buffer
		if err := Render(&buf, c); err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(&buf)
		if err != nil {
			t.Fatal(err)
		}
		out := image.NewRGBA(img.Bounds())
		for y := range Height {
			for x := range Width {
				out.Set(x, y, img.At(x, y))
			}
		}
		return out
	}
	fs, err := newFaces()
	if err != nil {
		t.Fatal(err)
	}
	defer fs.close()
	c := Card{Title: "Close call: Flask just ahead of Django", Bars: bars}
	var stars []star
	for _, m := range layout(c, fs) {
		if s, ok := m.(star); ok {
			stars = append(stars, s)
		}
	}
	if len(stars) != 1 || stars[0].Ink != barInks[1] {
		t.Fatalf("stars %+v, want one, in the leader's colour", stars)
	}
	img := render(c)
	if got := img.RGBAAt(stars[0].CX, stars[0].CY); got != barInks[1] {
		t.Errorf("the star's centre is %v, want the leader's %v", got, barInks[1])
	}

	// Even: every bar is an empty track.
	even := Card{Title: "No answers yet", Bars: []Bar{{"Django", 34, false, 0}, {"Flask", 33, false, 1}, {"FastAPI", 33, false, 2}}, Even: true}
	for _, m := range layout(even, fs) {
		if b, ok := m.(box); ok && b.Ink != track && b.R.Min.X == margin {
			t.Errorf("an even card fills a bar: %+v", b)
		}
		if tx, ok := m.(text); ok && strings.HasSuffix(tx.S, "%") {
			t.Errorf("an even card shows a share %q", tx.S)
		}
	}
}
