package labs

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/opslab/opslab/internal/treecopy"
)

// BackupWorkspace copies the workspace at src to
// <backupRoot>/<name>-<20060102-150405>, where name is the workspace folder's
// name (the lab id for the default workspace), and returns that path. A
// missing workspace has nothing to lose: it returns "" and no error.
func BackupWorkspace(src, backupRoot string, now time.Time) (string, error) {
	if _, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err := os.MkdirAll(backupRoot, 0o700); err != nil {
		return "", err
	}
	base := filepath.Join(backupRoot, filepath.Base(filepath.Clean(src))+"-"+now.Format("20060102-150405"))
	dst := base
	for i := 2; exists(dst) || exists(dst+".partial"); i++ {
		dst = fmt.Sprintf("%s-%d", base, i) // two backups in one second
	}
	// Copy into a .partial folder first: a backup that exists is complete.
	tmp := dst + ".partial"
	if err := treecopy.Copy(src, tmp); err != nil {
		_ = os.RemoveAll(tmp)
		return "", fmt.Errorf("backing up %s: %w", src, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return "", err
	}
	pruneBackups(backupRoot, filepath.Base(filepath.Clean(src)), BackupsKept)
	return dst, nil
}

// BackupsKept is how many backups of one workspace are kept: every reset and
// solve makes one, and a learner who resets a hundred times should not fill
// their disk. The oldest go first.
const BackupsKept = 20

// pruneBackups removes all but the newest keep backups of workspace name.
// Names sort by time: the stamp is fixed-width, a same-second backup has a
// numeric suffix (compared as a number), and .partial folders are skipped.
func pruneBackups(root, name string, keep int) {
	re := regexp.MustCompile(`^` + regexp.QuoteMeta(name) + `-(\d{8}-\d{6})(?:-(\d+))?$`)
	type backup struct {
		dir, stamp string
		n          int
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	var all []backup
	for _, e := range entries {
		m := re.FindStringSubmatch(e.Name())
		if m == nil || !e.IsDir() {
			continue
		}
		n, _ := strconv.Atoi(m[2]) // "" (the first of its second) is 0
		all = append(all, backup{e.Name(), m[1], n})
	}
	slices.SortFunc(all, func(a, b backup) int {
		return cmp.Or(cmp.Compare(a.stamp, b.stamp), cmp.Compare(a.n, b.n))
	})
	for len(all) > keep {
		_ = os.RemoveAll(filepath.Join(root, all[0].dir))
		all = all[1:]
	}
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}
