#!/usr/bin/env python3
"""Check an H5MD trajectory written by Crucible against the H5MD 1.1 layout and MDAnalysis.

Needs:  python3 -m pip install h5py MDAnalysis

Usage:  python3 Tools/check_h5md.py TRAJ.h5md [--expect SIDECAR.json] [--group NAME] [--topology FINAL.xyz]
                                              [--expect-position FRAME ATOM X Y Z ...]

Checks, with h5py: /h5md metadata (version [1,1], author/name, creator/name+version); the particle
group's box (dimension=3, boundary = periodic|none x3, edges/{step,time,value[F][3][3]}); the
position/velocity/force elements (step[F] integer, time[F] float, value[F][N][3] float, chunked and
unlimited along frames, unit attributes Angstrom, Angstrom ps-1, kJ mol-1 Angstrom-1); that every
element's step/time are hard links to position's (same HDF5 object); species[N] integer, or, in a
file whose species vary between frames (Monte Carlo swaps, semi-grand moves), the time-dependent
species/{step,time,value[F][N]} integer, chunked, step/time hard-linked, read frame by frame; the VMD
structure module (/h5md/modules/vmd_structure, /parameters/vmd_structure) naming every species
(every species of any frame; with a sidecar, exactly the declared `varying_species`);
/observables/*/{step,time,value[F]}.
Then the real, unpatched MDAnalysis opens the file with default arguments, mda.Universe(TRAJ), and
its units must be the file's (no conversion): its positions/velocities/forces must equal what h5py
read rounded to float32, and box/time/step/observables must match, each frame; the elements from the
VMD structure module attach as docs/output.md shows (per frame when species vary). With --topology,
mda.Universe(FINAL.xyz, TRAJ) must give the same elements (those of the last frame when species
vary). Lines starting "note:" report what MDAnalysis itself makes of the species (it reads none). Values are compared to the sidecar JSON (written by the Swift tests)
or, without a sidecar, to what h5py read. Exits 1 with one FAIL line per mismatch; 0 when all pass.
"""
import argparse
import json
import sys
import warnings

import h5py
import numpy as np

failures = []
passes = []
notes = []


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
    parser.add_argument("--topology", help="a structure file of the same atoms (the run's final .xyz) to open with MDAnalysis")
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

    units = {"position": "Angstrom", "velocity": "Angstrom ps-1", "force": "kJ mol-1 Angstrom-1"}
    present = [name for name in units if name in g]
    for name in present:
        check_time_series(g, name, frames, (atoms, 3), np.floating, unit=units[name])

    position = g["position"]
    linked = [g[name] for name in present[1:]] + ([g["box/edges"]] if "box" in g and "edges" in g["box"] else [])
    varying = "species" in g and isinstance(g["species"], h5py.Group)
    if varying:
        linked.append(g["species"])
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

    # elements: each atom's symbol (fixed species), or one such list per frame (varying species).
    elements = None
    species_path = f"{base}/species/value" if varying else f"{base}/species"
    if varying:
        if check_time_series(g, "species", frames, (atoms,), np.integer) is not None:
            per_frame = g["species/value"][()]
            # Read frame by frame too, as a reader following a running simulation would.
            check(all(np.array_equal(g["species/value"][k], per_frame[k]) for k in range(frames)),
                  f"{base}/species/value read frame by frame")
            table = check_vmd_structure(f, np.unique(per_frame), varying=True,
                                        declared=(expect or {}).get("varying_species"))
            if table is not None:
                elements = [[table.get(int(z), "?") for z in row] for row in per_frame]
                counts = [dict(zip(*(v.tolist() for v in np.unique(row, return_counts=True)))) for row in per_frame]
                notes.append(f"h5py: {base}/species is time-dependent, value {per_frame.shape} {per_frame.dtype}; "
                             f"atoms per species in frames 0..{min(frames, 6) - 1}: {counts[:6]}")
    elif check("species" in g, f"{base}/species exists"):
        species = g["species"]
        check(species.shape == (atoms,) and np.issubdtype(species.dtype, np.integer),
              f"{base}/species is Integer[{atoms}]", f"shape {species.shape} dtype {species.dtype}")
        table = check_vmd_structure(f, species[()])
        if table is not None:
            elements = [table.get(int(z), "?") for z in species[()]]

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
        exact(species_path, expect["species"], "species (per frame)" if varying else "species")
        if "elements" in expect:
            check(elements == expect["elements"], "elements (VMD structure module) match sidecar", f"{elements} != {expect['elements']}")
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

    check_mdanalysis(args.file, group_name, atoms, frames, reference, units, elements, varying, args.topology)
    return report()


def check_vmd_structure(f, species, varying=False, declared=None):
    """The H5MD VMD structure module: one row per distinct species (fixed species), or a row for
    every species a frame holds and possibly more (varying species; exactly `declared` when given,
    as [[number, symbol], ...]). Returns {species value: symbol}."""
    module = f.get("h5md/modules/vmd_structure")
    if not check(module is not None, "/h5md/modules/vmd_structure exists"):
        return None
    version = module.attrs.get("version")
    check(version is not None and list(np.asarray(version)) == [1, 0], "vmd_structure module version [1, 0]", f"found {version!r}")
    if not check("parameters/vmd_structure" in f, "/parameters/vmd_structure exists"):
        return None
    vmd = f["parameters/vmd_structure"]
    for name in ("indexOfSpecies", "name", "type", "atomicnumber"):
        if not check(name in vmd, f"/parameters/vmd_structure/{name} exists"):
            return None
    index = vmd["indexOfSpecies"][()]
    kinds = len(np.unique(species))
    names = list(vmd["name"].asstr()[()])
    if varying:
        seen = set(species.tolist())
        check(np.issubdtype(index.dtype, np.integer) and list(index) == sorted(set(index.tolist())),
              "indexOfSpecies is ascending without repeats", f"{index}")
        check(seen <= set(index.tolist()), f"indexOfSpecies lists every species any frame holds ({sorted(seen)})", f"{index}")
        if declared is not None:
            check([[int(z), s] for z, s in zip(index, names)] == [[int(z), s] for z, s in declared],
                  "VMD structure rows are exactly the declared varying species", f"{list(zip(index.tolist(), names))} != {declared}")
    else:
        check(np.issubdtype(index.dtype, np.integer) and list(index) == sorted(set(species.tolist())),
              f"indexOfSpecies lists the {kinds} distinct species, ascending", f"{index} for species {np.unique(species)}")
    check(names == list(vmd["type"].asstr()[()]), "vmd_structure type == name")
    check(vmd["name"].dtype.kind == "S", "vmd_structure name is fixed-length (as the VMD plugin reads it)", f"{vmd['name'].dtype}")
    check(len(names) == len(index) and all(names), "vmd_structure has a non-empty name per species", f"{names}")
    numbers = vmd["atomicnumber"][()]
    check(len(numbers) == len(index) and all(0 <= z <= 118 for z in numbers), "vmd_structure atomicnumber per species", f"{numbers}")
    return dict(zip(index.tolist(), names))


def attach_elements(u, path):
    """docs/output.md's recipe: the elements from the VMD structure module, in MDAnalysis."""
    import h5py
    with h5py.File(path, "r") as f:
        vmd = f["parameters/vmd_structure"]
        symbol = dict(zip(vmd["indexOfSpecies"][()], vmd["name"].asstr()[()]))
        u.add_TopologyAttr("elements", [symbol[z] for z in f["particles/trajectory/species"][()]])


def species_symbols(path):
    """docs/output.md's recipe for varying species: each frame's symbols, shape (F, N)."""
    import h5py
    with h5py.File(path, "r") as f:
        vmd = f["parameters/vmd_structure"]
        symbol = dict(zip(vmd["indexOfSpecies"][()], vmd["name"].asstr()[()]))
        species = f["particles/trajectory/species/value"][()]
    return [[symbol[z] for z in row] for row in species]


def check_mdanalysis(path, group_name, atoms, frames, reference, units, elements, varying, topology):
    import MDAnalysis as mda
    from MDAnalysis.coordinates.H5MD import H5MDReader
    from MDAnalysis.lib.mdamath import triclinic_box

    # Exactly what docs/output.md tells users: no patches, default arguments, the file name alone.
    check(path.endswith(".h5md"), "file name ends in .h5md (MDAnalysis picks its H5MD reader by extension)", path)
    check(group_name == "trajectory", "particle group is 'trajectory' (MDAnalysis takes the atom count from it)", group_name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            u = mda.Universe(path)
        except Exception as error:  # noqa: BLE001 - report whatever MDAnalysis raised
            check(False, f"mda.Universe({path!r}) opens the file (MDAnalysis {mda.__version__})", f"{type(error).__name__}: {error}")
            return
    check(True, f"mda.Universe({path!r}) opens the file (MDAnalysis {mda.__version__})")
    # What MDAnalysis itself makes of the species: its H5MD reader reads only position/velocity/force,
    # box and observables, so the atoms come without elements or types either way.
    attributes = [a.attrname for a in u._topology.read_attributes]
    check(not hasattr(u.atoms, "elements"), "MDAnalysis reads no elements from the file (attached below)", f"{attributes}")
    notes.append(f"MDAnalysis {mda.__version__}: {'time-dependent' if varying else 'fixed'} species ignored; "
                 f"topology attributes {attributes}; u.atoms has elements: {hasattr(u.atoms, 'elements')}, "
                 f"types: {hasattr(u.atoms, 'types')}; ts.data keys {sorted(u.trajectory.ts.data)}")
    check(u.trajectory.n_frames == frames, "MDAnalysis n_frames", f"{u.trajectory.n_frames} != {frames}")
    check(u.atoms.n_atoms == atoms, "MDAnalysis n_atoms", f"{u.atoms.n_atoms} != {atoms}")
    # MDAnalysis translated the file's unit strings to its own, which are also its native units:
    # it converts nothing, so its numbers are the file's numbers in the units the file states.
    native = {"time": "ps", "length": "Angstrom", "velocity": "Angstrom/ps", "force": "kJ/(mol*Angstrom)"}
    stated = {"time": "ps", "length": units["position"], "velocity": units["velocity"], "force": units["force"]}
    for kind, unit in stated.items():
        translated = H5MDReader._unit_translation[kind].get(unit)
        check(translated == native[kind], f"MDAnalysis reads '{unit}' as its native {native[kind]}", f"{translated}")
    for kind, unit in u.trajectory.units.items():
        check(unit in (None, native[kind]), f"MDAnalysis trajectory {kind} unit is native", f"{unit}")
    for ts in u.trajectory:
        k = ts.frame
        # MDAnalysis stores coordinates as float32; HDF5 converts float64 -> float32 with rounding to nearest.
        for name, key, has in (("positions", "positions", True), ("velocities", "velocities", ts.has_velocities),
                               ("forces", "forces", ts.has_forces)):
            if reference[key] is None:
                continue
            want = reference[key][k].astype(np.float32)
            got = getattr(ts, name) if has else None
            check(got is not None and np.array_equal(got, want), f"MDAnalysis {name} frame {k} == h5py's",
                  f"max |diff| {np.max(np.abs(got - want)) if got is not None else 'missing'}")
        want_box = triclinic_box(*reference["cells"][k])
        check(ts.dimensions is not None and np.allclose(ts.dimensions, want_box, rtol=1e-5, atol=1e-4),
              f"MDAnalysis box frame {k}", f"{ts.dimensions} != {want_box}")
        check(np.isclose(ts.time, reference["times"][k], rtol=1e-12, atol=0), f"MDAnalysis time frame {k}",
              f"{ts.time} != {reference['times'][k]}")
        check(int(ts.data.get("step", -1)) == int(reference["steps"][k]), f"MDAnalysis step frame {k}")
        for name, values in reference["observables"].items():
            check(name in ts.data and float(ts.data[name]) == float(values[k]), f"MDAnalysis observable {name} frame {k}")
    if elements is not None and not varying:
        try:
            attach_elements(u, path)
            check(list(u.atoms.elements) == elements, "MDAnalysis elements attached from the VMD structure module",
                  f"{list(u.atoms.elements)[:8]} != {elements[:8]}")
        except Exception as error:  # noqa: BLE001
            check(False, "MDAnalysis elements attached from the VMD structure module", f"{type(error).__name__}: {error}")
    if elements is not None and varying:
        try:
            symbols = species_symbols(path)
            u.add_TopologyAttr("elements", symbols[0])
            for ts in u.trajectory:
                u.atoms.elements = symbols[ts.frame]
                check(list(u.atoms.elements) == elements[ts.frame],
                      f"MDAnalysis elements of frame {ts.frame} set from species/value and the VMD structure module",
                      f"{list(u.atoms.elements)[:8]} != {elements[ts.frame][:8]}")
        except Exception as error:  # noqa: BLE001
            check(False, "MDAnalysis elements set per frame from the VMD structure module", f"{type(error).__name__}: {error}")
    if topology:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                t = mda.Universe(topology, path)
            except Exception as error:  # noqa: BLE001
                check(False, f"mda.Universe({topology!r}, {path!r}) opens", f"{type(error).__name__}: {error}")
                return
        check(t.trajectory.n_frames == frames, f"mda.Universe(topology, trajectory) has the {frames} frames")
        final = elements[-1] if varying and elements else elements
        check(final is not None and list(t.atoms.elements) == final,
              "elements from the topology file == elements in the trajectory" + (" (last frame)" if varying else ""),
              f"{list(t.atoms.elements)[:8]}")


def report():
    for line in notes:
        print(f"note: {line}")
    for line in failures:
        print(f"FAIL: {line}")
    print(f"{len(passes)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
