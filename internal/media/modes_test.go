package media_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dastan/internal/media"
)

// Media files are the process user's alone, whatever the umask: folders
// 0700, files 0600, and folders an older Dastan made 0755 are narrowed
// when written to.
func TestStorageModes(t *testing.T) {
	root := filepath.Join(t.TempDir(), "media")
	if err := os.MkdirAll(filepath.Join(root, "ab"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(root, 0o755)
	os.Chmod(filepath.Join(root, "ab"), 0o755)
	s := media.NewLocalStorage(root)
	if err := s.Put(context.Background(), "ab/cd/abcdef-640.jpg", strings.NewReader("jpeg"), "image/jpeg"); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]fs.FileMode{
		root:                            0o700,
		filepath.Join(root, "ab"):       0o700,
		filepath.Join(root, "ab", "cd"): 0o700,
		filepath.Join(root, "ab/cd/abcdef-640.jpg"): 0o600,
	} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s: mode %o, want %o", p, st.Mode().Perm(), want)
		}
	}
}
