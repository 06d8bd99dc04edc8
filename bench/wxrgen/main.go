// Command wxrgen writes a synthetic WordPress export to stdout, for
// import benchmarks at archive scale (bench/import.sh):
//
//	go run ./bench/wxrgen -posts 100000 -news > news100k.xml
//
// -news shapes the posts as the WordPress news corpus of issue 17.
package main

import (
	"flag"
	"fmt"
	"os"

	"dastan/internal/wordpress/wxrgen"
)

func main() {
	posts := flag.Int("posts", 10000, "how many posts")
	seed := flag.Int64("seed", 1, "random seed; the same seed writes the same bytes")
	news := flag.Bool("news", false, "shape the posts as the WordPress news corpus (828 words, 30 % captions, 10 % Russian, 4.5 tags)")
	flag.Parse()
	if err := wxrgen.GenerateExportWith(os.Stdout, *posts, *seed, wxrgen.Options{News: *news}); err != nil {
		fmt.Fprintln(os.Stderr, "wxrgen:", err)
		os.Exit(1)
	}
}
