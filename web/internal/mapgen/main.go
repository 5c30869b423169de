// Command mapgen draws the policymakers' map of the EU/EEA once: it reads
// the Natural Earth country boundaries of the npm package world-atlas
// (countries-50m.json, a TopoJSON file), keeps the 30 EU/EEA countries and
// their European territory, projects them with the Lambert azimuthal
// equal-area projection centred on 10°E 52°N (the centre of ETRS89-LAEA,
// EPSG:3035, the projection Eurostat uses for EU statistics; on a sphere,
// which is exact enough at this scale), simplifies the outlines to half a
// pixel, and writes the SVG path data as a Go file the web package embeds.
//
// Run it from web/ with go generate (see map.go): it takes the package
// archive made by
//
//	npm pack world-atlas@2.0.2
//
// and refuses any other archive than the one whose SHA-256 is pinned below.
//
// Natural Earth data is in the public domain; world-atlas is under the ISC
// licence (Copyright 2013-2019 Michael Bostock).
package main

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"slices"
	"strings"
)

// archiveSHA256 is the SHA-256 of world-atlas-2.0.2.tgz from npm.
const archiveSHA256 = "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"

// eea are the 30 EU/EEA countries: ISO 3166-1 numeric (world-atlas ids) to alpha-2.
var eea = map[string]string{
	"040": "AT", "056": "BE", "100": "BG", "191": "HR", "196": "CY", "203": "CZ", "208": "DK", "233": "EE",
	"246": "FI", "250": "FR", "276": "DE", "300": "GR", "348": "HU", "372": "IE", "380": "IT", "428": "LV",
	"440": "LT", "442": "LU", "470": "MT", "528": "NL", "616": "PL", "620": "PT", "642": "RO", "703": "SK",
	"705": "SI", "724": "ES", "752": "SE", "352": "IS", "438": "LI", "578": "NO",
}

// Europe's box in degrees: a ring is kept when its first point lies in it,
// which leaves out overseas territories, the Canaries, the Azores, Madeira
// and Svalbard.
const (
	minLon, maxLon = -25.0, 45.0
	minLat, maxLat = 34.0, 72.0
	// width of the drawing in SVG units; the height follows.
	width = 800.0
	// tolerance of the simplification, in SVG units.
	tolerance = 0.8
	// small is the area (SVG units²) under which a country also gets a dot
	// one can see and click.
	small = 40.0
)

// centre of the projection (radians).
var lon0, lat0 = 10 * math.Pi / 180, 52 * math.Pi / 180

type topology struct {
	Transform struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Objects struct {
		Countries struct {
			Geometries []struct {
				Type string          `json:"type"`
				ID   string          `json:"id"`
				Arcs json.RawMessage `json:"arcs"`
			} `json:"geometries"`
		} `json:"countries"`
	} `json:"objects"`
	Arcs [][][2]int `json:"arcs"`
}

type point struct{ X, Y float64 }

func main() {
	in := flag.String("archive", "", "world-atlas-2.0.2.tgz from npm pack")
	out := flag.String("out", "map_paths.go", "Go file to write")
	flag.Parse()
	data, err := readArchive(*in)
	if err != nil {
		log.Fatal(err)
	}
	var t topology
	if err := json.Unmarshal(data, &t); err != nil {
		log.Fatal(err)
	}
	src, err := render(&t)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, []byte(src), 0o644); err != nil {
		log.Fatal(err)
	}
}

// readArchive checks the archive's hash and returns its countries-50m.json.
func readArchive(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if sum := sha256.Sum256(raw); hex.EncodeToString(sum[:]) != archiveSHA256 {
		return nil, fmt.Errorf("%s: SHA-256 %x, want %s (world-atlas 2.0.2)", path, sum, archiveSHA256)
	}
	zr, err := gzip.NewReader(strings.NewReader(string(raw)))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err != nil {
			return nil, fmt.Errorf("countries-50m.json not in %s: %w", path, err)
		}
		if h.Name == "package/countries-50m.json" {
			return io.ReadAll(tr)
		}
	}
}

// arc decodes arc i (negative: the reverse of arc ^i) into degrees.
func (t *topology) arc(i int) [][2]float64 {
	rev := i < 0
	if rev {
		i = ^i
	}
	var x, y int
	pts := make([][2]float64, 0, len(t.Arcs[i]))
	for _, d := range t.Arcs[i] {
		x, y = x+d[0], y+d[1]
		pts = append(pts, [2]float64{float64(x)*t.Transform.Scale[0] + t.Transform.Translate[0],
			float64(y)*t.Transform.Scale[1] + t.Transform.Translate[1]})
	}
	if rev {
		slices.Reverse(pts)
	}
	return pts
}

// rings returns the rings of a geometry in degrees.
func (t *topology) rings(kind string, arcs json.RawMessage) ([][][2]float64, error) {
	var polys [][][]int
	switch kind {
	case "Polygon":
		var p [][]int
		if err := json.Unmarshal(arcs, &p); err != nil {
			return nil, err
		}
		polys = [][][]int{p}
	case "MultiPolygon":
		if err := json.Unmarshal(arcs, &polys); err != nil {
			return nil, err
		}
	default:
		return nil, nil
	}
	var out [][][2]float64
	for _, p := range polys {
		for _, ring := range p {
			var pts [][2]float64
			for j, a := range ring {
				seg := t.arc(a)
				if j > 0 {
					seg = seg[1:]
				}
				pts = append(pts, seg...)
			}
			out = append(out, pts)
		}
	}
	return out, nil
}

// project is the spherical Lambert azimuthal equal-area projection centred
// on lon0, lat0, y pointing up, on the unit sphere.
func project(lonDeg, latDeg float64) point {
	lon, lat := lonDeg*math.Pi/180, latDeg*math.Pi/180
	c := math.Cos(lat0)*math.Cos(lat)*math.Cos(lon-lon0) + math.Sin(lat0)*math.Sin(lat)
	k := math.Sqrt(2 / (1 + c))
	return point{k * math.Cos(lat) * math.Sin(lon-lon0), k * (math.Cos(lat0)*math.Sin(lat) - math.Sin(lat0)*math.Cos(lat)*math.Cos(lon-lon0))}
}

func inEurope(p [2]float64) bool {
	return p[0] >= minLon && p[0] <= maxLon && p[1] >= minLat && p[1] <= maxLat
}

// shape is one country's outline in SVG units.
type shape struct {
	code  string
	rings [][]point
}

// render projects, fits and simplifies the countries and returns the Go file.
func render(t *topology) (string, error) {
	var countries []shape
	var others [][]point
	for _, g := range t.Objects.Countries.Geometries {
		rings, err := t.rings(g.Type, g.Arcs)
		if err != nil {
			return "", fmt.Errorf("country %s: %w", g.ID, err)
		}
		code, ok := eea[g.ID]
		s := shape{code: code}
		for _, r := range rings {
			if ok && !inEurope(r[0]) {
				continue
			}
			pts := make([]point, len(r))
			for i, p := range r {
				pts[i] = project(p[0], p[1])
			}
			s.rings = append(s.rings, pts)
		}
		if ok {
			countries = append(countries, s)
		} else {
			others = append(others, s.rings...)
		}
	}
	if len(countries) != len(eea) {
		return "", fmt.Errorf("found %d of the %d EU/EEA countries", len(countries), len(eea))
	}
	fit := newFit(countries)
	slices.SortFunc(countries, func(a, b shape) int { return strings.Compare(a.code, b.code) })
	var b strings.Builder
	fmt.Fprintf(&b, "// Code generated by internal/mapgen from world-atlas 2.0.2 countries-50m.json (Natural Earth); DO NOT EDIT.\n\n")
	fmt.Fprintf(&b, "package web\n\n")
	fmt.Fprintf(&b, "var europe = mapDrawing{\n\tWidth: %d, Height: %d,\n", int(width), int(math.Ceil(fit.height)))
	fmt.Fprintf(&b, "\tLand: %q,\n\tCountries: []mapCountry{\n", pathData(fit.apply(others, true), 4))
	for _, c := range countries {
		rings := fit.apply(c.rings, false)
		d := pathData(rings, 0.5)
		if d == "" {
			d = pathData(rings, 0)
		}
		x, y, area := centroid(rings)
		fmt.Fprintf(&b, "\t\t{Code: %q, D: %q, X: %.1f, Y: %.1f, Small: %t},\n", c.code, d, x, y, area < small)
	}
	b.WriteString("\t},\n}\n")
	return b.String(), nil
}

// fit maps projected points to SVG units: x right, y down, the countries'
// box scaled to width with a margin.
type fit struct {
	minX, maxY, scale, height float64
}

const margin = 8.0

func newFit(countries []shape) fit {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, c := range countries {
		for _, r := range c.rings {
			for _, p := range r {
				minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
				minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
			}
		}
	}
	s := (width - 2*margin) / (maxX - minX)
	return fit{minX: minX, maxY: maxY, scale: s, height: (maxY-minY)*s + 2*margin}
}

// apply fits and simplifies rings; with clip, points are first held to a
// band around the drawing (for the neighbours, whose far parts are not shown)
// and rings wholly outside it are dropped.
func (f fit) apply(rings [][]point, clip bool) [][]point {
	var out [][]point
	for _, r := range rings {
		pts := make([]point, len(r))
		inside := false
		for i, p := range r {
			q := point{(p.X-f.minX)*f.scale + margin, (f.maxY-p.Y)*f.scale + margin}
			if q.X >= 0 && q.X <= width && q.Y >= 0 && q.Y <= f.height {
				inside = true
			}
			if clip {
				q.X, q.Y = math.Max(-10, math.Min(width+10, q.X)), math.Max(-10, math.Min(f.height+10, q.Y))
			}
			pts[i] = q
		}
		if clip && !inside {
			continue
		}
		out = append(out, simplify(pts, tolerance))
	}
	return out
}

// simplify is Douglas-Peucker on a ring.
func simplify(pts []point, tol float64) []point {
	if len(pts) < 4 {
		return pts
	}
	keep := make([]bool, len(pts))
	keep[0], keep[len(pts)-1] = true, true
	// A closed ring's ends meet: split it at its farthest point first.
	far, best := 0, -1.0
	for i, p := range pts {
		if d := math.Hypot(p.X-pts[0].X, p.Y-pts[0].Y); d > best {
			far, best = i, d
		}
	}
	keep[far] = true
	dp(pts, 0, far, tol, keep)
	dp(pts, far, len(pts)-1, tol, keep)
	var out []point
	for i, p := range pts {
		if keep[i] {
			out = append(out, p)
		}
	}
	return out
}

func dp(pts []point, a, b int, tol float64, keep []bool) {
	if b-a < 2 {
		return
	}
	idx, best := -1, tol
	for i := a + 1; i < b; i++ {
		if d := segDist(pts[i], pts[a], pts[b]); d > best {
			idx, best = i, d
		}
	}
	if idx < 0 {
		return
	}
	keep[idx] = true
	dp(pts, a, idx, tol, keep)
	dp(pts, idx, b, tol, keep)
}

func segDist(p, a, b point) float64 {
	dx, dy := b.X-a.X, b.Y-a.Y
	l := dx*dx + dy*dy
	if l == 0 {
		return math.Hypot(p.X-a.X, p.Y-a.Y)
	}
	t := math.Max(0, math.Min(1, ((p.X-a.X)*dx+(p.Y-a.Y)*dy)/l))
	return math.Hypot(p.X-a.X-t*dx, p.Y-a.Y-t*dy)
}

// area is the signed area of a ring.
func area(r []point) float64 {
	s := 0.0
	for i := range r {
		j := (i + 1) % len(r)
		s += r[i].X*r[j].Y - r[j].X*r[i].Y
	}
	return s / 2
}

// centroid is the centre of the largest ring and the total area.
func centroid(rings []point2) (x, y, total float64) {
	best := -1.0
	for _, r := range rings {
		a := math.Abs(area(r))
		total += a
		if a > best {
			best = a
			minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
			for _, p := range r {
				minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
				minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
			}
			x, y = (minX+maxX)/2, (minY+maxY)/2
		}
	}
	return x, y, total
}

type point2 = []point

// pathData writes rings of at least minArea as SVG path data with one
// decimal.
func pathData(rings [][]point, minArea float64) string {
	var b strings.Builder
	for _, r := range rings {
		if len(r) < 3 || math.Abs(area(r)) < minArea {
			continue
		}
		for i, p := range r {
			if i == 0 {
				b.WriteString("M")
			} else {
				b.WriteString("L")
			}
			fmt.Fprintf(&b, "%s,%s", num(p.X), num(p.Y))
		}
		b.WriteString("Z")
	}
	return b.String()
}

func num(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", f), "0"), ".")
}
