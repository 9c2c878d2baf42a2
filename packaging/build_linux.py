"""Build the Linux one-folder bundle and pack it as a tarball a person can unpack and run.

    python packaging/build_linux.py            (needs: pip install -e ".[packaging]")

Steps: run the PyInstaller spec (which renders the icons and gathers the licence texts), strip
debug symbols from libpython only, lay out the folder below, add the Debian copyright files of
the system libraries PyInstaller copied, check that every bundled library resolves,
validate the desktop file and metainfo when the validators are installed, and write
``dist/companion-<version>-linux-<arch>.tar.gz``. It prints the figures (build time, sizes).

    companion-<version>-linux-<arch>/
      companion                 the program (the command line and the app)
      _internal/                Python, Qt and the rest, as PyInstaller lays them out
      install.sh                adds the menu entry and icons for this user (--uninstall removes)
      share/applications/<id>.desktop
      share/metainfo/<id>.metainfo.xml
      share/icons/hicolor/…/apps/<id>.{svg,png}
      LICENSE  THIRD-PARTY-NOTICES.md   (the licence texts: _internal/licenses/)
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from companion.appinfo import APP_ID, EXECUTABLE, VERSION  # noqa: E402

BUILD = ROOT / "build"
DIST = ROOT / "dist"
SPEC = ROOT / "packaging" / "pyinstaller" / "companion.spec"
LINUX = ROOT / "packaging" / "linux"


def _run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    subprocess.run(cmd, check=True, env=env)


def _tree_size(path: Path) -> tuple[int, int]:
    total = files = 0
    for item in path.rglob("*"):
        if item.is_file() and not item.is_symlink():
            total += item.stat().st_size
            files += 1
    return total, files


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB"


def freeze() -> tuple[Path, float]:
    started = time.monotonic()
    env = dict(os.environ, COMPANION_ICON_DIR=str(BUILD / "icons"))
    _run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(BUILD / "pyinstaller" / "dist"),
            "--workpath",
            str(BUILD / "pyinstaller" / "work"),
            str(SPEC),
        ],
        env=env,
    )
    return BUILD / "pyinstaller" / "dist" / EXECUTABLE, time.monotonic() - started


def strip_libpython(bundle: Path) -> None:
    """A pyenv-built libpython carries debug symbols (22 → 5.5 MiB). Stripping every library
    would break numpy's OpenBLAS, so only this one is touched."""
    if shutil.which("strip") is None:
        return
    for lib in (bundle / "_internal").glob("libpython3*.so*"):
        if lib.is_file() and not lib.is_symlink():
            _run(["strip", "--strip-debug", str(lib)])


def system_library_notices(bundle: Path, out_dir: Path) -> list[str]:
    """Debian copyright files for the system libraries PyInstaller copied from this machine."""
    internal = bundle / "_internal"
    libs = sorted(
        p.name for p in internal.iterdir() if ".so" in p.name and p.is_file() and not p.is_symlink()
    )
    packages: dict[str, list[str]] = {}
    unknown = []
    for name in libs:
        if name.startswith("libpython"):
            continue
        owner = None
        if shutil.which("dpkg"):
            result = subprocess.run(
                ["dpkg", "-S", f"*/{name}"], capture_output=True, text=True, check=False
            )
            if result.returncode == 0 and result.stdout:
                owner = result.stdout.split(":")[0].strip()
        if owner:
            packages.setdefault(owner, []).append(name)
        else:
            unknown.append(name)
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = ["System libraries in _internal/ and the Debian packages they came from.", ""]
    for package, names in sorted(packages.items()):
        copyright_file = Path("/usr/share/doc") / package.split(",")[0] / "copyright"
        if copyright_file.is_file():
            shutil.copyfile(copyright_file, out_dir / f"{package.split(',')[0]}.copyright")
        lines.append(f"{package}: {', '.join(names)}")
    if unknown:
        lines += ["", "Not traced to a package on the build machine:", *unknown]
    (out_dir / "README.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return unknown


def missing_libraries(bundle: Path) -> list[str]:
    """Libraries some bundled ELF file needs that neither the bundle nor the system provides."""
    internal = bundle / "_internal"
    env = dict(os.environ, LD_LIBRARY_PATH=str(internal))
    missing = set()
    for path in [bundle / EXECUTABLE, *internal.rglob("*.so*")]:
        if not path.is_file() or path.is_symlink():
            continue
        result = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env)
        for line in result.stdout.splitlines():
            if "not found" in line:
                missing.add(f"{path.relative_to(bundle)}: {line.strip()}")
    return sorted(missing)


def glibc_requirement(bundle: Path) -> str:
    """The newest GLIBC_x.y symbol version any bundled file asks for."""
    newest = (0, 0)
    for path in [bundle / EXECUTABLE, *(bundle / "_internal").rglob("*.so*")]:
        if not path.is_file() or path.is_symlink():
            continue
        result = subprocess.run(
            ["objdump", "-T", str(path)], capture_output=True, text=True, check=False
        )
        for major, minor in re.findall(r"\bGLIBC_(\d+)\.(\d+)", result.stdout):
            newest = max(newest, (int(major), int(minor)))
    return f"{newest[0]}.{newest[1]}"


def stage(bundle: Path) -> Path:
    arch = platform.machine()
    name = f"{EXECUTABLE}-{VERSION}-linux-{arch}"
    staged = BUILD / "linux" / name
    if staged.exists():
        shutil.rmtree(staged)
    shutil.copytree(bundle, staged, symlinks=True)
    share = staged / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy2(LINUX / f"{APP_ID}.desktop", share / "applications")
    (share / "metainfo").mkdir()
    shutil.copy2(LINUX / f"{APP_ID}.metainfo.xml", share / "metainfo")
    shutil.copytree(BUILD / "icons" / "hicolor", share / "icons" / "hicolor")
    shutil.copy2(LINUX / "install.sh", staged / "install.sh")
    # The licence texts are inside _internal/ (the spec puts them in every bundle); the two
    # summaries are also here, where a person unpacking the archive sees them.
    shutil.copy2(ROOT / "LICENSE", staged / "LICENSE")
    shutil.copy2(ROOT / "packaging" / "THIRD-PARTY-NOTICES.md", staged)
    return staged


def validate(staged: Path) -> None:
    desktop = staged / "share" / "applications" / f"{APP_ID}.desktop"
    if shutil.which("desktop-file-validate"):
        _run(["desktop-file-validate", str(desktop)])
        print("desktop-file-validate: ok")
    if shutil.which("appstreamcli"):
        _run(["appstreamcli", "validate-tree", "--no-net", str(staged)])


def pack(staged: Path) -> Path:
    DIST.mkdir(exist_ok=True)
    target = DIST / f"{staged.name}.tar.gz"
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0")) or None

    def clean(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        if epoch is not None:
            info.mtime = epoch
        return info

    # gzip -6: 0.5 % larger than -9 and about three times faster on this bundle (24 s, not 66 s)
    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        tar.add(staged, arcname=staged.name, filter=clean)
    return target


def main() -> int:
    bundle, seconds = freeze()
    strip_libpython(bundle)
    staged = stage(bundle)
    unknown = system_library_notices(staged, staged / "_internal" / "licenses" / "system")
    missing = missing_libraries(staged)
    validate(staged)
    tarball = pack(staged)
    size, files = _tree_size(staged)
    print(f"build time (PyInstaller): {seconds:.0f} s")
    print(f"bundle: {staged}  {_mib(size)} in {files} files")
    print(f"tarball: {tarball}  {_mib(tarball.stat().st_size)}")
    print(f"needs glibc >= {glibc_requirement(staged)} (built on {platform.libc_ver()[1]})")
    if unknown:
        print("libraries not traced to a package (_internal/licenses/system/README.txt):", *unknown)
    if missing:
        print("UNRESOLVED LIBRARIES:", *missing, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
