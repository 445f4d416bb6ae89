#!/usr/bin/env python3
"""Check an H5MD trajectory written by Crucible against the H5MD 1.1 layout and MDAnalysis.

Needs:  python3 -m pip install h5py MDAnalysis

Usage:  python3 Tools/check_h5md.py TRAJ.h5md [--expect SIDECAR.json] [--group NAME]
                                              [--expect-position FRAME ATOM X Y Z ...]

Checks, with h5py: /h5md metadata (version [1,1], author/name, creator/name+version); the particle
group's box (dimension=3, boundary = periodic|none x3, edges/{step,time,value[F][3][3]}); the
position/velocity/force elements (step[F] integer, time[F] float, value[F][N][3] float, chunked and
unlimited along frames, unit attributes); that every element's step/time are hard links to
position's (same HDF5 object); species[N] integer; /observables/*/{step,time,value[F]}.
Then MDAnalysis' H5MD reader reads the file; its positions/velocities/forces/box/time/step and
observables are compared to the sidecar JSON (written by the Swift tests) or, without a sidecar, to
what h5py read. Exits 1 with one FAIL line per mismatch; 0 when all checks pass.
"""
import argparse
import json
import sys
import warnings

import h5py
import numpy as np

failures = []
passes = []


def check(condition, what, detail=""):
    if condition:
        passes.append(what)
    else:
        failures.append(f"{what}" + (f": {detail}" if detail else ""))
    return condition


def text(value):
    """An attribute string whether stored fixed-length (bytes) or variable-length (str)."""
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray) and value.shape == ():
        return text(value[()])
    return str(value)


def same_object(a, b):
    """True when two h5py objects are the same HDF5 object (hard links)."""
    return a.id == b.id


def check_time_series(group, path, frames, frame_shape, kind, unit=None):
    if not check(path in group, f"{path} exists"):
        return None
    element = group[path]
    for name in ("step", "time", "value"):
        if not check(name in element, f"{path}/{name} exists"):
            return None
    step, time, value = element["step"], element["time"], element["value"]
    check(step.shape == (frames,) and np.issubdtype(step.dtype, np.integer),
          f"{path}/step is Integer[{frames}]", f"shape {step.shape} dtype {step.dtype}")
    check(time.shape == (frames,) and np.issubdtype(time.dtype, np.floating),
          f"{path}/time is Float[{frames}]", f"shape {time.shape} dtype {time.dtype}")
    check(value.shape == (frames, *frame_shape) and np.issubdtype(value.dtype, kind),
          f"{path}/value shape {(frames, *frame_shape)}", f"shape {value.shape} dtype {value.dtype}")
    check(value.chunks is not None and value.maxshape[0] is None,
          f"{path}/value chunked and extendible", f"chunks {value.chunks} maxshape {value.maxshape}")
    if unit is not None:
        got = text(value.attrs["unit"]) if "unit" in value.attrs else None
        check(got == unit, f"{path}/value unit '{unit}'", f"found {got!r}")
        check(isinstance(value.attrs.get("unit"), str), f"{path}/value unit is a variable-length string "
              "(MDAnalysis cannot match fixed-length bytes)", f"{type(value.attrs.get('unit'))}")
        tunit = text(time.attrs["unit"]) if "unit" in time.attrs else None
        check(tunit == "ps", f"{path}/time unit 'ps'", f"found {tunit!r}")
    return element


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file")
    parser.add_argument("--expect", help="JSON sidecar with the values that were written")
    parser.add_argument("--group", help="particle group (default: sidecar's, else the first in /particles)")
    parser.add_argument("--expect-position", nargs=5, action="append", default=[], metavar=("FRAME", "ATOM", "X", "Y", "Z"),
                        help="an expected position (Angstrom); may repeat")
    args = parser.parse_args()
    expect = json.load(open(args.expect)) if args.expect else None

    try:
        f = h5py.File(args.file, "r")
    except OSError as error:
        print(f"FAIL: h5py cannot open {args.file}: {error}")
        return 1
    check(True, "h5py opens the file")

    # --- /h5md metadata -------------------------------------------------------------------------
    if check("h5md" in f, "/h5md exists"):
        h5md = f["h5md"]
        version = h5md.attrs.get("version")
        check(version is not None and list(np.asarray(version)) == [1, 1], "/h5md version [1, 1]", f"found {version!r}")
        check("author" in h5md and "name" in h5md["author"].attrs and text(h5md["author"].attrs["name"]),
              "/h5md/author name")
        check("creator" in h5md and all(k in h5md["creator"].attrs for k in ("name", "version")),
              "/h5md/creator name and version")

    # --- particles --------------------------------------------------------------------------------
    if not check("particles" in f and len(f["particles"]) > 0, "/particles has a particle group"):
        return report()
    group_name = args.group or (expect or {}).get("particle_group") or list(f["particles"])[0]
    if not check(group_name in f["particles"], f"/particles/{group_name} exists", f"found {list(f['particles'])}"):
        return report()
    g = f["particles"][group_name]
    base = f"/particles/{group_name}"
    if not check("position" in g and "value" in g["position"], f"{base}/position/value exists"):
        return report()
    frames, atoms = g["position/value"].shape[:2]
    if expect:
        check(atoms == expect["atom_count"], "atom count matches sidecar", f"{atoms} != {expect['atom_count']}")
        check(frames == len(expect["steps"]), "frame count matches sidecar", f"{frames} != {len(expect['steps'])}")

    if check("box" in g, f"{base}/box exists"):
        box = g["box"]
        dimension = box.attrs.get("dimension")
        check(dimension is not None and int(dimension) == 3, f"{base}/box dimension == 3", f"found {dimension!r}")
        boundary = [text(b) for b in np.asarray(box.attrs.get("boundary", []))]
        check(len(boundary) == 3 and all(b in ("periodic", "none") for b in boundary),
              f"{base}/box boundary is periodic|none x3", f"found {boundary}")
        if expect and "boundary" in expect:
            check(boundary == expect["boundary"], "boundary matches sidecar", f"{boundary} != {expect['boundary']}")
        check_time_series(g, "box/edges", frames, (3, 3), np.floating)
        if "edges" in box and "value" in box["edges"]:
            check(text(box["edges/value"].attrs.get("unit", "")) == "Angstrom", f"{base}/box/edges/value unit 'Angstrom'")

    units = {"position": "Angstrom", "velocity": "Angstrom ps-1", "force": "eV Angstrom-1"}
    present = [name for name in units if name in g]
    for name in present:
        check_time_series(g, name, frames, (atoms, 3), np.floating, unit=units[name])

    position = g["position"]
    linked = [g[name] for name in present[1:]] + ([g["box/edges"]] if "box" in g and "edges" in g["box"] else [])
    observables = f["observables"] if "observables" in f else None
    if observables is not None:
        linked += [observables[name] for name in observables]
    for element in linked:
        for name in ("step", "time"):
            if name in element and name in position:
                check(same_object(element[name], position[name]), f"{element.name}/{name} hard-linked to {position.name}/{name}")
    if "step" in position:
        info = h5py.h5o.get_info(position["step"].id)
        check(info.rc >= 1 + len(linked), f"{position.name}/step has {1 + len(linked)} hard links", f"rc={info.rc}")
        steps = position["step"][()]
        check(np.all(np.diff(steps) > 0), "steps strictly increasing", f"{steps}")
        times = position["time"][()]
        check(np.all(np.diff(times) >= 0), "times non-decreasing", f"{times}")

    if check("species" in g, f"{base}/species exists"):
        species = g["species"]
        check(species.shape == (atoms,) and np.issubdtype(species.dtype, np.integer),
              f"{base}/species is Integer[{atoms}]", f"shape {species.shape} dtype {species.dtype}")

    if observables is not None:
        for name in observables:
            check_time_series(observables, name, frames, (), np.number)

    # --- values against the sidecar (exact, float64) ---------------------------------------------
    if expect:
        def exact(path, want, what):
            got = f[path][()]
            want = np.asarray(want, dtype=got.dtype).reshape(got.shape)
            check(np.array_equal(got, want), f"{what} bitwise equal to sidecar",
                  f"max |diff| {np.max(np.abs(got.astype(float) - want.astype(float))) if got.size else 0}")
        exact(f"{base}/position/step", expect["steps"], "steps")
        exact(f"{base}/position/time", expect["times"], "times")
        exact(f"{base}/box/edges/value", expect["cells"], "box edges")
        for name in present:
            key = {"position": "positions", "velocity": "velocities", "force": "forces"}[name]
            if key in expect:
                exact(f"{base}/{name}/value", expect[key], name)
        exact(f"{base}/species", expect["species"], "species")
        for name, values in expect.get("observables", {}).items():
            exact(f"/observables/{name}/value", values, f"observable {name}")
        if "deck" in expect:
            deck = f["parameters/deck"][()] if "parameters/deck" in f else None
            check(deck is not None and text(deck) == expect["deck"], "/parameters/deck matches sidecar")

    reference = {
        "positions": g["position/value"][()],
        "velocities": g["velocity/value"][()] if "velocity" in g else None,
        "forces": g["force/value"][()] if "force" in g else None,
        "cells": g["box/edges/value"][()],
        "times": g["position/time"][()],
        "steps": g["position/step"][()],
        "observables": {name: observables[name]["value"][()] for name in observables} if observables is not None else {},
    }
    if expect:
        reference.update({k: np.asarray(expect[k]).reshape(reference[k].shape) for k in ("positions", "cells", "times", "steps")})
        for k in ("velocities", "forces"):
            if k in expect and reference[k] is not None:
                reference[k] = np.asarray(expect[k]).reshape(reference[k].shape)
    for frame, atom, x, y, z in args.expect_position:
        got = reference["positions"][int(frame), int(atom)]
        check(np.allclose(got, [float(x), float(y), float(z)], rtol=0, atol=1e-9),
              f"position of atom {atom} at frame {frame} == ({x}, {y}, {z})", f"file has {got.tolist()}")
    f.close()

    check_mdanalysis(args.file, group_name, atoms, frames, reference)
    return report()


def check_mdanalysis(path, group_name, atoms, frames, reference):
    import MDAnalysis as mda
    from MDAnalysis import units as mda_units
    from MDAnalysis.coordinates.H5MD import H5MDReader
    from MDAnalysis.lib.mdamath import triclinic_box

    # MDAnalysis (2.x) has no eV-based force unit: its H5MD reader raises RuntimeError on
    # "eV Angstrom-1" even with convert_units=False. Teach it the unit (1 kJ/(mol*A) = 0.0103643 eV/A).
    mda_units.forceUnit_factor.setdefault("eV/Angstrom", mda_units.energyUnit_factor["eV"])
    mda_units.unit_types.setdefault("eV/Angstrom", "force")
    H5MDReader._unit_translation["force"].setdefault("eV Angstrom-1", "eV/Angstrom")
    ev_per_A_to_mda = mda_units.get_conversion_factor("force", "eV/Angstrom", "kJ/(mol*Angstrom)")

    # Universe(path) alone needs the '.h5md' extension and MDAnalysis' H5MDReader.parse_n_atoms looks
    # only at /particles/trajectory; with any other name, give the atom count to the minimal topology.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            u = mda.Universe(path, topology_format="MINIMAL", format="H5MD", n_atoms=atoms)
        except Exception as error:  # noqa: BLE001 - report whatever MDAnalysis raised
            check(False, "MDAnalysis Universe opens the file", f"{type(error).__name__}: {error}")
            return
        plain = None
        if path.endswith(".h5md"):
            try:
                mda.Universe(path)
                plain = "yes"
            except Exception as error:  # noqa: BLE001
                plain = f"no ({type(error).__name__}: {error}; needs particle group 'trajectory')"
    check(True, "MDAnalysis Universe opens the file")
    if plain is not None:
        print(f"info: plain mda.Universe('{path}') works: {plain}")
    check(u.trajectory.n_frames == frames, "MDAnalysis n_frames", f"{u.trajectory.n_frames} != {frames}")
    check(u.atoms.n_atoms == atoms, "MDAnalysis n_atoms", f"{u.atoms.n_atoms} != {atoms}")
    for ts in u.trajectory:
        k = ts.frame
        # MDAnalysis stores coordinates as float32; HDF5 converts float64 -> float32 with rounding to nearest.
        want = reference["positions"][k].astype(np.float32)
        check(np.array_equal(ts.positions, want), f"MDAnalysis positions frame {k}",
              f"max |diff| {np.max(np.abs(ts.positions - want))}")
        if reference["velocities"] is not None:
            want = reference["velocities"][k].astype(np.float32)
            check(ts.has_velocities and np.array_equal(ts.velocities, want), f"MDAnalysis velocities frame {k}")
        if reference["forces"] is not None:
            want = reference["forces"][k] * ev_per_A_to_mda
            check(ts.has_forces and np.allclose(ts.forces, want, rtol=1e-5, atol=1e-5),
                  f"MDAnalysis forces frame {k} (eV/A -> kJ/(mol A))", f"max |diff| {np.max(np.abs(ts.forces - want))}")
        want_box = triclinic_box(*reference["cells"][k])
        check(ts.dimensions is not None and np.allclose(ts.dimensions, want_box, rtol=1e-5, atol=1e-4),
              f"MDAnalysis box frame {k}", f"{ts.dimensions} != {want_box}")
        check(np.isclose(ts.time, reference["times"][k], rtol=1e-12, atol=0), f"MDAnalysis time frame {k}",
              f"{ts.time} != {reference['times'][k]}")
        check(int(ts.data.get("step", -1)) == int(reference["steps"][k]), f"MDAnalysis step frame {k}")
        for name, values in reference["observables"].items():
            check(name in ts.data and float(ts.data[name]) == float(values[k]), f"MDAnalysis observable {name} frame {k}")


def report():
    for line in failures:
        print(f"FAIL: {line}")
    print(f"{len(passes)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
