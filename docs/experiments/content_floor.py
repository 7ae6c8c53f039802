"""The content floor of the data-quality page in Chromium (docs/benchmarks.md, "The content floor").

A generated Streamlit page with the elements a province change sends on the data-quality page (the sidebar's
filters, a heading, three metrics, alerts, a region x cycle heat map, two download buttons, the list of
libraries without a report) and **no computation**: its numbers are random, seeded by the province. It is timed
against the benchmark's baseline page (``analytics.tools.browser``: the same province select and as many bar
charts) exactly as ``python -m analytics bench`` times the app's pages, in turn, in the same browser.

    PYTHONPATH=. python docs/experiments/content_floor.py data/program.db [choices] [--no-table]

What it shows: the ratio a page of this content cannot go under, whatever the app's own code does.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from analytics.i18n import t
from analytics.tools import browser
from analytics.tools.server import Server

PAGE = """import random

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.tools import nodelay

nodelay.enable()
PROVINCES = {provinces!r}
TABLE = {table!r}
st.set_page_config(page_title="PLM", layout="wide")
side = st.sidebar
side.segmented_control("Bahasa", ["Bahasa Indonesia", "English"], default="Bahasa Indonesia", key="lang")
choice = side.selectbox({label!r}, ["-", *PROVINCES])
for name in ("Kabupaten/kota", "Jenjang perpustakaan", "Angkatan program", "Indikator"):
    side.selectbox(name, ["Semua", "a", "b"])
cycles = [f"{{y}}-{{k}}" for y in range(2011, 2020) for k in (1, 2, 3)]
side.select_slider("Rentang siklus PLM", cycles, value=(cycles[0], cycles[-1]))
side.toggle("Mode presentasi")
rng = random.Random(choice)
st.title(f"Kualitas data · {{choice}}")
st.markdown("Kelengkapan dan ketepatan waktu laporan perpustakaan. " * 3)
for column, label in zip(st.columns(3), ("Laporan masuk", "Tepat waktu", "Tanpa tanggal")):
    column.metric(label, f"{{rng.randint(1000, 9000):,}}".replace(",", "."))
st.warning("Beberapa perpustakaan belum melapor. " * 2)
st.segmented_control("Ukuran", ["Kelengkapan", "Ketepatan"], default="Kelengkapan", key="measure")
st.header("Kelengkapan laporan per kabupaten/kota")
regions = [f"Kabupaten {{i}}" for i in range(30)]
z = [[rng.random() for _ in cycles[3:]] for _ in regions]
spec = {{"data": [{{"type": "heatmap", "x": cycles[3:], "y": regions, "z": z, "colorscale": "Blues"}}],
        "layout": {{"title": {{"text": f"Kelengkapan · {{choice}}"}}, "height": 480, "template": {{}}}}}}
st.plotly_chart(go.Figure(spec, _validate=False), theme=None, key="heat")
st.caption("Sel = bagian perpustakaan aktif yang melapor pada siklus itu.")
st.download_button("Unduh CSV", "a;b\\n", file_name="kelengkapan.csv", key="heat_csv")
st.header("Perpustakaan tanpa laporan")
st.info("Perpustakaan aktif yang tidak melapor pada satu siklus atau lebih.")
n = rng.randint(40, 120)
table = pd.DataFrame({{
    "ID": range(n),
    "Perpustakaan": [f"Perpustakaan Desa {{rng.randint(1, 9999)}}" for _ in range(n)],
    "Kabupaten/kota": [rng.choice(regions) for _ in range(n)],
    "Siklus tanpa laporan": [rng.randint(1, 9) for _ in range(n)],
    "Siklus aktif": [rng.randint(9, 24) for _ in range(n)],
}})
if TABLE:
    st.dataframe(table, hide_index=True, height=11 * 35 + 3)
st.download_button("Unduh CSV", table.to_csv(index=False), file_name="tanpa-laporan.csv", key="list_csv")
"""


def measure(db: Path, choices: int = 25, table: bool = True) -> dict:
    """The floor page's and the baseline's medians (seconds) over ``choices`` province changes each."""
    from playwright.sync_api import sync_playwright

    label = t("filters.province", "id")
    provinces, rotation = browser._all_provinces(db), browser.busiest_provinces(db)
    quiet = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
    with tempfile.TemporaryDirectory() as tmp:
        floor_script, base_script = Path(tmp) / "floor.py", Path(tmp) / "baseline.py"
        floor_script.write_text(PAGE.format(provinces=provinces, label=label, table=table))
        base_script.write_text(browser.baseline_script(provinces, label))
        with (
            Server(db, env=quiet, script=floor_script) as floor,
            Server(db, env=quiet, script=base_script) as base,
            sync_playwright() as pw,
        ):
            chromium = pw.chromium.launch(executable_path=str(browser.CHROMIUM), args=browser.CHROMIUM_ARGS)
            context = chromium.new_context(viewport=browser.VIEWPORT)
            context.add_init_script(browser.WATCH)
            floor_tab, base_tab = context.new_page(), context.new_page()
            charts = browser._open(floor_tab, f"http://127.0.0.1:{floor.port}/")
            browser._open(base_tab, f"http://127.0.0.1:{base.port}/?charts={charts}")
            ours, theirs = [], []
            for i in range(choices + 1):  # the first choice of each is a warm-up
                province = rotation[i % len(rotation)]
                a, _ = browser.choose(floor_tab, label, province, charts)
                b, _ = browser.choose(base_tab, label, province, charts)
                if i:
                    ours.append(a)
                    theirs.append(b)
            chromium.close()
    floor_s, base_s = statistics.median(ours), statistics.median(theirs)
    return {"charts": charts, "floor": floor_s, "baseline": base_s, "ratio": floor_s / base_s}


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = measure(Path(args[0]), int(args[1]) if len(args) > 1 else 25, table="--no-table" not in sys.argv)
    print(
        f"content floor {1000 * out['floor']:.0f} ms, baseline {1000 * out['baseline']:.0f} ms "
        f"({out['charts']} chart), {out['ratio']:.2f}x"
    )
