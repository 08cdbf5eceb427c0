#!/bin/sh
# Build the release artifact: dist/app.pyz, one file that runs the app
# (`python3 dist/app.pyz`).
set -eu
rm -rf build dist
mkdir -p build dist
cp -r app build/
python3 -m zipapp build --main app.server:main --output dist/app.pyz
echo "built dist/app.pyz ($(python3 -c 'import app; print(app.__version__)'))"
