import CrucibleCore
import CrucibleIO
import Testing

/// A deck that must fail, and the error it must produce among those reported.
struct BadDeck: Sendable, CustomTestStringConvertible {
    let name: String
    let lines: [String]
    let line: Int
    let key: String?
    let fragment: String

    init(_ name: String, line: Int, key: String?, _ fragment: String, _ lines: [String]) {
        self.name = name
        self.lines = lines
        self.line = line
        self.key = key
        self.fragment = fragment
    }

    var text: String { lines.joined(separator: "\n") }
    var testDescription: String { name }
}

// Building blocks; each comment gives the lines it takes.
private let copperLattice = ["system:", "  lattice: {kind: fcc, a: 3.615, repeat: [4, 4, 4], species: Cu}"]   // 1-2
private let copperEAM = ["potential:", "  eam: {file: Cu_u3.eam}"]                                           // 3-4
private let fromFile = ["system:", "  structure: {file: start.xyz}"]                                          // 1-2
private let md = ["md: {steps: 10}"]

/// Lattice with its own body on line 2, Cu EAM on 3-4, then `run` from line 5.
private func lattice(_ body: String, _ run: [String] = md) -> [String] {
    ["system:", "  lattice: {\(body)}"] + copperEAM + run
}

/// Structure file on 1-2, `potential` from line 3, single point after.
private func potential(_ lines: String...) -> [String] {
    fromFile + ["potential:"] + lines + ["single_point: {}"]
}

/// Copper lattice and EAM on 1-4, the lines given from line 5.
private func run(_ lines: String...) -> [String] {
    copperLattice + copperEAM + lines
}

private let thermostat = "  thermostat: {langevin: {temperature: 300, damping: 0.1}}"

/// Copper lattice with `system.isotopes` on line 3, Cu EAM on 4-5, then `run` from line 6.
private func isotopes(_ entry: String, _ run: [String] = md) -> [String] {
    copperLattice + ["  isotopes: {\(entry)}"] + copperEAM + run
}

extension BadDeck {
    static let catalog: [BadDeck] = [
        BadDeck("misspelt key", line: 8, key: "md.thermostat.langevin.temperatur",
                "unknown key 'temperatur' in 'md.thermostat.langevin'; did you mean 'temperature'?",
                run("md:", "  steps: 10", "  thermostat:", "    langevin: {temperatur: 300, damping: 0.1}")),
        BadDeck("replicas without a size", line: 6, key: "replicas", "needs 'count', 'temperatures', 'pressures' or 'parameters'",
                run("md: {steps: 10}", "replicas: {}")),
        BadDeck("replica counts disagree", line: 8, key: "replicas.temperatures", "gives 3 replica(s) but 'count' gives 2",
                run("md:", "  steps: 10", thermostat, "replicas: {count: 2, temperatures: [300, 400, 500]}")),
        BadDeck("replica temperatures without a thermostat", line: 6, key: "replicas.temperatures", "needs a thermostat",
                run("md: {steps: 10}", "replicas: {temperatures: [300, 400]}")),
        BadDeck("isotope label is an element", line: 3, key: "system.isotopes.Cu", "not an element symbol",
                isotopes("Cu: {element: Cu, mass: 64}")),
        BadDeck("isotope of an element not in the lattice", line: 3, key: "system.isotopes.D", "the lattice does not contain",
                isotopes("D: {element: H, mass: 2.014}")),
        BadDeck("isotope fraction above 1", line: 3, key: "system.isotopes.Cu65.fraction", "at most 1",
                isotopes("Cu65: {element: Cu, mass: 64.9, fraction: 1.5}")),
        BadDeck("isotope without a mass", line: 3, key: "system.isotopes.Cu65.mass", "missing required key 'mass'",
                isotopes("Cu65: {element: Cu}")),
        BadDeck("swap pair with an unknown label", line: 9, key: "monte_carlo.swap.pairs[0][1]", "isotope labels: Cu65",
                isotopes("Cu65: {element: Cu, mass: 64.9}", ["md:", "  steps: 10", thermostat, "monte_carlo: {swap: {pairs: [[Cu, Cu63]]}}"])),
        BadDeck("replica parameter no term declares", line: 8, key: "replicas.parameters.lambda", "no potential term has the parameter 'lambda'",
                run("md:", "  steps: 10", thermostat, "replicas: {parameters: {lambda: [1, 0.5]}}")),
        BadDeck("replica parameter lists disagree", line: 8, key: "replicas.parameters", "gives 3 replica(s) but 'temperatures' gives 2",
                copperLattice + ["potential:", "  scaled: {parameter: lambda, term: {eam: {file: Cu_u3.eam}}}", "md:", "  steps: 10", thermostat,
                                 "replicas: {temperatures: [300, 400], parameters: {lambda: [1, 0.5, 0.2]}}"]),
        BadDeck("scaled pinning bias", line: 5, key: "potential[1].scaled.term", "scales an interatomic term",
                potential("  - {eam: {file: Cu_u3.eam}}", "  - scaled: {parameter: k, term: {pinning: {cv: {fourier: {vectors: [[4, 0, 0]]}}}}}")),
        BadDeck("scaled parameter name", line: 4, key: "potential.scaled.parameter", "letters, digits and _ only",
                potential("  scaled: {parameter: 'a.b', term: {eam: {file: Cu_u3.eam}}}")),
        BadDeck("replica pressures without a barostat", line: 8, key: "replicas.pressures", "needs a barostat",
                run("md:", "  steps: 10", thermostat, "replicas: {pressures: [0, 10]}")),
        BadDeck("replicas of a minimisation", line: 6, key: "replicas", "works with 'md' runs only",
                run("minimize: {}", "replicas: {count: 2}")),
        BadDeck("negative replica temperature", line: 8, key: "replicas.temperatures[1]", "must be ≥ 0 K, found -4",
                run("md:", "  steps: 10", thermostat, "replicas: {temperatures: [300, -4]}")),
        BadDeck("ladder without a count", line: 8, key: "replicas.ladder", "needs 'count'",
                run("md:", "  steps: 10", thermostat, "replicas: {temperatures: [300, 400], ladder: {min: 300, max: 500}}")),
        BadDeck("ladder upside down", line: 8, key: "replicas.ladder", "is below 'min'",
                run("md:", "  steps: 10", thermostat, "replicas: {count: 3, ladder: {min: 500, max: 300}}")),
        BadDeck("exchange without a thermostat", line: 6, key: "replicas.exchange", "needs a thermostat",
                run("md: {steps: 10}", "replicas: {count: 2, exchange: {every: 10}}")),
        BadDeck("unknown exchange pairing", line: 8, key: "replicas.exchange.pairs", "exchange pairing",
                run("md:", "  steps: 10", thermostat, "replicas: {count: 2, exchange: {every: 10, pairs: some}}")),
        BadDeck("path integral without a thermostat", line: 7, key: "md.path_integral", "need 'md.thermostat'",
                run("md:", "  steps: 10", "  path_integral: {beads: 4}")),
        BadDeck("pinning bias alone", line: 4, key: "potential", "acts on top of an interatomic potential",
                potential("  - pinning: {kappa: 1, cv: {fourier: {vectors: [[2, 0, 0]]}}}")),
        BadDeck("bond order of odd degree", line: 5, key: "potential[1].pinning.cv.q6.degree", "must be even",
                potential("  - eam: {file: Cu_u3.eam}", "  - pinning: {cv: {q6: {cutoff: 3.0, degree: 5}}}")),
        BadDeck("unknown collective variable", line: 5, key: "potential[1].pinning.cv.q4", "unknown key 'q4'",
                potential("  - eam: {file: Cu_u3.eam}", "  - pinning: {cv: {q4: {cutoff: 3.0}}}")),
        BadDeck("zero wave vector", line: 5, key: "potential[1].pinning.cv.fourier.vectors[0]", "gives Q = 1 for any structure",
                potential("  - eam: {file: Cu_u3.eam}", "  - pinning: {kappa: 2, cv: {fourier: {vectors: [[0, 0, 0]]}}}")),
        BadDeck("solid count without a threshold", line: 5, key: "potential[1].pinning.cv.solid_count.threshold", "missing required key 'threshold'",
                potential("  - eam: {file: Cu_u3.eam}", "  - pinning: {cv: {solid_count: {cutoff: 3.0}}}")),
        BadDeck("solid count nn above the default mm", line: 5, key: "potential[1].pinning.cv.solid_count.nn", "nn < mm ≤ 64",
                potential("  - eam: {file: Cu_u3.eam}", "  - pinning: {cv: {solid_count: {cutoff: 3.0, threshold: 0.3, nn: 30}}}")),
        BadDeck("two biases on one name", line: 4, key: "potential", "distinct 'name'",
                potential("  - eam: {file: Cu_u3.eam}", "  - pinning: {cv: {q6: {cutoff: 3.0}}}", "  - pinning: {cv: {q6: {cutoff: 3.2}}}")),
        BadDeck("collective variable name with a comma", line: 5, key: "potential[1].pinning.cv.q6.name", "letters, digits and _ only",
                potential("  - eam: {file: Cu_u3.eam}", "  - pinning: {cv: {q6: {cutoff: 3.0, name: 'a,b'}}}")),
        BadDeck("melt with an output block", line: 8, key: "output", "writes its own outputs",
                run("melt:", "  temperatures: [1300, 1350]", "  kappa: 50", "output: {thermo: {every: 10}}")),
        BadDeck("melt production shorter than its blocks", line: 8, key: "melt.steps", "fewer than the 5 blocks",
                run("melt:", "  temperatures: [1300, 1350]", "  kappa: 50", "  steps: {production: 30}")),
        BadDeck("melt at one temperature", line: 6, key: "melt.temperatures", "at least two different temperatures",
                run("melt:", "  temperatures: [1300, 1300]", "  kappa: 50")),
        BadDeck("melt without kappa", line: 5, key: "melt.kappa", "missing required key 'kappa'",
                run("melt:", "  temperatures: [1300, 1350]")),
        BadDeck("melt wave vector out of the interface plane", line: 8, key: "melt.miller[0]", "must lie in the interface plane",
                run("melt:", "  temperatures: [1300, 1350]", "  kappa: 50", "  miller: [[0, 0, 2]]")),
        BadDeck("melt solid fraction of one", line: 8, key: "melt.solid_fraction", "between 0 and 1",
                run("melt:", "  temperatures: [1300, 1350]", "  kappa: 50", "  solid_fraction: 1.2")),
        BadDeck("zero beads", line: 8, key: "md.path_integral.beads", "≥ 1",
                run("md:", "  steps: 10", thermostat, "  path_integral: {beads: 0}")),
        BadDeck("trpmd preset with lambda", line: 8, key: "md.path_integral.lambda", "fixed by preset: trpmd",
                run("md:", "  steps: 10", thermostat, "  path_integral: {beads: 4, preset: trpmd, lambda: 1}")),
        BadDeck("unknown propagator", line: 8, key: "md.path_integral.propagator", "ring-polymer propagator",
                run("md:", "  steps: 10", thermostat, "  path_integral: {beads: 4, propagator: verlet}")),
        BadDeck("empty monte_carlo", line: 8, key: "monte_carlo", "needs 'swap' or 'semi_grand'",
                run("md:", "  steps: 10", thermostat, "monte_carlo: {}")),
        BadDeck("monte_carlo without a thermostat", line: 6, key: "monte_carlo", "needs a thermostat",
                run("md: {steps: 10}", "monte_carlo: {swap: {attempts: 5}}")),
        BadDeck("monte_carlo in a minimisation", line: 6, key: "monte_carlo", "works with 'md' runs only",
                run("minimize: {}", "monte_carlo: {swap: {attempts: 5}}")),
        BadDeck("swap pair of one element", line: 8, key: "monte_carlo.swap.pairs[0]", "two different elements",
                run("md:", "  steps: 10", thermostat, "monte_carlo: {swap: {pairs: [[Cu, Cu]]}}")),
        BadDeck("swap pair with an unknown element", line: 8, key: "monte_carlo.swap.pairs[0][1]", "unknown element 'Xx'",
                run("md:", "  steps: 10", thermostat, "monte_carlo: {swap: {pairs: [[Cu, Xx]]}}")),
        BadDeck("semi-grand with one element", line: 8, key: "monte_carlo.semi_grand.chemical_potentials", "at least two elements",
                run("md:", "  steps: 10", thermostat, "monte_carlo: {semi_grand: {chemical_potentials: {Cu: 0}}}")),
        BadDeck("variance target above 1", line: 8, key: "monte_carlo.semi_grand.variance.concentrations", "must be ≤ 1",
                run("md:", "  steps: 10", thermostat,
                    "monte_carlo: {semi_grand: {chemical_potentials: {Cu: 0, Ni: 0.1}, variance: {kappa: 1, concentrations: {Ni: 1.5}}}}")),
        BadDeck("sro shells not increasing", line: 8, key: "output.sro.shells", "must increase",
                run("md:", "  steps: 10", thermostat, "output: {sro: {shells: [3.9, 3.0]}}")),
        BadDeck("missing steps", line: 5, key: "md.steps", "missing required key 'steps' in 'md'",
                run("md:", "  timestep: 0.002")),
        BadDeck("number that is text", line: 7, key: "md.timestep", "expected a number, found 'abc'",
                run("md:", "  steps: 10", "  timestep: abc")),
        BadDeck("negative timestep", line: 7, key: "md.timestep", "must be > 0 ps, found -0.001",
                run("md:", "  steps: 10", "  timestep: -0.001")),
        BadDeck("zero damping", line: 10, key: "md.thermostat.langevin.damping", "must be > 0 ps, found 0",
                run("md:", "  steps: 10", "  thermostat:", "    langevin:", "      temperature: 300", "      damping: 0")),
        BadDeck("negative temperature", line: 8, key: "md.thermostat.csvr.temperature", "must be ≥ 0 K, found -5",
                run("md:", "  steps: 10", "  thermostat:", "    csvr: {temperature: -5, tau: 0.1}")),
        BadDeck("structure and lattice", line: 3, key: "system.lattice", "'lattice' cannot be combined with 'structure'",
                ["system:", "  structure: {file: start.xyz}", "  lattice: {kind: fcc, a: 3.6, repeat: [1, 1, 1], species: Cu}"]
                    + copperEAM + md),
        BadDeck("no atom source", line: 1, key: "system", "missing 'structure' or 'lattice' in 'system'",
                ["system:", "  masses: {Cu: 63.5}"] + copperEAM + md),
        BadDeck("c for fcc", line: 2, key: "system.lattice.c", "'c' applies only to hcp lattices, not fcc",
                lattice("kind: fcc, a: 3.6, c: 5.9, repeat: [4, 4, 4], species: Cu")),
        BadDeck("two repeats", line: 2, key: "system.lattice.repeat", "expected three cell counts such as [10, 10, 10], found 2",
                lattice("kind: fcc, a: 3.6, repeat: [4, 4], species: Cu")),
        BadDeck("zero repeat", line: 2, key: "system.lattice.repeat[1]", "must be an integer ≥ 1, found 0",
                lattice("kind: fcc, a: 3.6, repeat: [4, 0, 4], species: Cu")),
        BadDeck("fractional repeat", line: 2, key: "system.lattice.repeat[1]", "expected an integer, found '2.5'",
                lattice("kind: fcc, a: 3.6, repeat: [4, 2.5, 4], species: Cu")),
        BadDeck("species and composition", line: 2, key: "system.lattice.composition",
                "'composition' cannot be combined with 'species'",
                lattice("kind: fcc, a: 3.6, repeat: [4, 4, 4], species: Cu, composition: {Cu: 1}")),
        BadDeck("fractions not summing to 1", line: 2, key: "system.lattice.composition", "fractions sum to 0.9, not 1",
                lattice("kind: fcc, a: 3.6, repeat: [4, 4, 4], composition: {Cu: 0.5, Ni: 0.4}")),
        BadDeck("counts not summing to the sites", line: 2, key: "system.lattice.composition",
                "counts sum to 200 atoms but the lattice has 256 sites (4 per fcc cell × 4×4×4)",
                lattice("kind: fcc, a: 3.6, repeat: [4, 4, 4], composition: {Cu: 100, Ni: 100}")),
        BadDeck("composition of nothing", line: 2, key: "system.lattice.composition", "composition adds up to zero",
                lattice("kind: fcc, a: 3.6, repeat: [4, 4, 4], composition: {Cu: 0, Ni: 0}")),
        BadDeck("negative count", line: 2, key: "system.lattice.composition.Cu", "must be ≥ 0, found -4",
                lattice("kind: fcc, a: 3.6, repeat: [4, 4, 4], composition: {Cu: -4, Ni: 260}")),
        BadDeck("made-up element", line: 2, key: "system.lattice.composition.Xx", "unknown element 'Xx'",
                lattice("kind: fcc, a: 3.6, repeat: [4, 4, 4], composition: {Cu: 0.5, Xx: 0.5}")),
        BadDeck("lower-case element", line: 2, key: "system.lattice.species", "unknown element 'cu'; did you mean 'Cu'?",
                lattice("kind: fcc, a: 3.6, repeat: [4, 4, 4], species: cu")),
        BadDeck("misspelt lattice kind", line: 2, key: "system.lattice.kind", "unknown lattice kind 'fc'; did you mean 'fcc'?",
                lattice("kind: fc, a: 3.6, repeat: [4, 4, 4], species: Cu")),
        BadDeck("not-a-number", line: 2, key: "system.lattice.a", "expected a finite number, found '.nan'",
                lattice("kind: fcc, a: .nan, repeat: [4, 4, 4], species: Cu")),
        BadDeck("overflowing number", line: 2, key: "system.lattice.a", "number '1e999' is too large to represent",
                lattice("kind: fcc, a: 1e999, repeat: [4, 4, 4], species: Cu")),
        BadDeck("map where a list belongs", line: 2, key: "system.lattice.repeat",
                "expected a list of three cell counts, found a map",
                lattice("kind: fcc, a: 3.6, repeat: {x: 4}, species: Cu")),
        BadDeck("list where a map belongs", line: 1, key: "system",
                "expected a map with keys structure, lattice, masses, velocities, isotopes, found a list",
                ["system: [1, 2]"] + copperEAM + md),
        BadDeck("pair given twice", line: 8, key: "potential.lj.pairs[1]", "pair Kr–Ar is already given at line 7",
                potential("  lj:", "    cutoff: 8", "    pairs:",
                          "      - {species: [Ar, Kr], epsilon: 0.01, sigma: 3.4}",
                          "      - {species: [Kr, Ar], epsilon: 0.02, sigma: 3.5}")),
        BadDeck("pair of three", line: 4, key: "potential.lj.pairs[0].species", "expected two element symbols such as [Ar, Ar], found 3",
                potential("  lj: {cutoff: 8, pairs: [{species: [Ar, Ar, Ar], epsilon: 0.01, sigma: 3.4}]}")),
        BadDeck("negative epsilon", line: 4, key: "potential.lj.pairs[0].epsilon", "must be ≥ 0 eV, found -0.01",
                potential("  lj: {cutoff: 8, pairs: [{species: [Ar, Ar], epsilon: -0.01, sigma: 3.4}]}")),
        BadDeck("no pairs", line: 4, key: "potential.lj.pairs", "'pairs' is empty",
                potential("  lj: {cutoff: 8, pairs: []}")),
        BadDeck("pair without any cutoff", line: 4, key: "potential.lj.pairs[0].cutoff", "no cutoff for this pair",
                potential("  lj: {pairs: [{species: [Ar, Ar], epsilon: 0.01, sigma: 3.4}]}")),
        BadDeck("shift that is not a flag", line: 4, key: "potential.lj.shift", "expected true or false, found 'maybe'",
                potential("  lj: {cutoff: 8, shift: maybe, pairs: [{species: [Ar, Ar], epsilon: 0.01, sigma: 3.4}]}")),
        BadDeck("two terms in one map", line: 3, key: "potential", "a potential term has exactly one key, found lj and eam",
                potential("  lj: {cutoff: 8, pairs: [{species: [Ar, Ar], epsilon: 0.01, sigma: 3.4}]}", "  eam: {file: Cu_u3.eam}")),
        BadDeck("empty term", line: 3, key: "potential", "empty potential term", fromFile + ["potential: {}", "single_point:"]),
        BadDeck("term that is text", line: 3, key: "potential", "expected a potential term (a map with one key: lj or eam)",
                fromFile + ["potential: lj", "single_point:"]),
        BadDeck("EAM format unknown", line: 4, key: "potential.eam.file", "cannot tell the EAM format from the name 'mystery.pot'",
                potential("  eam: {file: mystery.pot}")),
        BadDeck("EAM file missing", line: 4, key: "potential.eam.file", "file not found:",
                potential("  eam: {file: Ag_u3.eam}")),
        BadDeck("species for setfl", line: 4, key: "potential.eam.species", "'species' applies only to funcfl files",
                potential("  eam: {file: CuNi.eam.alloy, species: [Cu]}")),
        BadDeck("species count", line: 4, key: "potential.eam.species", "'species' lists 2 element(s) for 1 file(s)",
                potential("  eam: {file: Cu_u3.eam, species: [Cu, Ni]}")),
        BadDeck("funcfl element unknown", line: 4, key: "potential.eam.file", "cannot tell the element of funcfl file 'u3.eam'",
                potential("  eam: {file: u3.eam}")),
        BadDeck("files with setfl format", line: 4, key: "potential.eam.format", "'files' takes funcfl files only",
                potential("  eam: {files: [Cu_u3.eam], format: setfl}")),
        BadDeck("setfl among files", line: 4, key: "potential.eam.files[1]", "looks like a setfl file",
                potential("  eam: {files: [Cu_u3.eam, CuNi.eam.alloy]}")),
        BadDeck("element twice in funcfl files", line: 4, key: "potential.eam.species[1]", "element 'Cu' has two funcfl files",
                potential("  eam: {files: [Cu_u3.eam, Ni_u3.eam], species: [Cu, Cu]}")),
        BadDeck("md with minimize", line: 6, key: "md", "'md' cannot be combined with 'minimize'",
                run("minimize: {max_steps: 100}", "md:", "  steps: 10")),
        BadDeck("no run kind", line: 1, key: nil, "missing run kind: add one of 'md', 'minimize', 'single_point' or 'melt'",
                copperLattice + copperEAM),
        BadDeck("barostat without thermostat", line: 7, key: "md.barostat", "a barostat needs a thermostat",
                run("md:", "  steps: 10", "  barostat: {pressure: 1}")),
        BadDeck("axes with isotropic coupling", line: 8, key: "md.barostat.axes",
                "'axes' applies only to anisotropic coupling (coupling is isotropic by default)",
                run("md:", "  steps: 10", thermostat, "  barostat: {axes: [z]}")),
        BadDeck("unknown axis", line: 8, key: "md.barostat.axes[0]", "unknown axis 'w'",
                run("md:", "  steps: 10", thermostat, "  barostat: {coupling: anisotropic, axes: [w]}")),
        BadDeck("axis twice", line: 8, key: "md.barostat.axes[1]", "'z' is listed twice",
                run("md:", "  steps: 10", thermostat, "  barostat: {coupling: anisotropic, axes: [z, z]}")),
        BadDeck("two thermostats", line: 7, key: "md.thermostat.csvr", "'csvr' cannot be combined with 'langevin'",
                run("md:", "  steps: 10",
                    "  thermostat: {langevin: {temperature: 1, damping: 1}, csvr: {temperature: 1, tau: 1}}")),
        BadDeck("unknown thermostat", line: 7, key: "md.thermostat.nose_hoover", "unknown key 'nose_hoover' in 'md.thermostat'",
                run("md:", "  steps: 10", "  thermostat: {nose_hoover: {temperature: 1}}")),
        BadDeck("duplicate key", line: 7, key: "md.steps", "duplicate key 'steps' (first given at line 6)",
                run("md:", "  steps: 10", "  steps: 20")),
        BadDeck("key at the wrong level", line: 6, key: "thermostat", "unknown top-level key 'thermostat'; it belongs in 'md'",
                run("md: {steps: 10}", "thermostat: {langevin: {temperature: 300, damping: 0.1}}")),
        BadDeck("quoted number", line: 6, key: "md.steps", "expected an integer, found the quoted text '100'; remove the quotes",
                run("md:", "  steps: \"100\"")),
        BadDeck("huge integer", line: 6, key: "md.steps", "integer '99999999999999999999999' is too large",
                run("md:", "  steps: 99999999999999999999999")),
        BadDeck("negative seed", line: 1, key: "seed", "must be an integer ≥ 0, found -1",
                ["seed: -1"] + copperLattice + copperEAM + md),
        BadDeck("threads in words", line: 1, key: "threads", "expected an integer, found 'two'",
                ["threads: two"] + copperLattice + copperEAM + md),
        BadDeck("title that is a map", line: 1, key: "title", "expected a title, found a map",
                ["title: {a: 1}"] + copperLattice + copperEAM + md),
        BadDeck("zero mass", line: 3, key: "system.masses.Cu", "must be > 0 amu, found 0",
                copperLattice + ["  masses: {Cu: 0}"] + copperEAM + md),
        BadDeck("mass for an absent element", line: 3, key: "system.masses.Ni", "mass given for 'Ni', which the lattice does not contain",
                copperLattice + ["  masses: {Ni: 58.69}"] + copperEAM + md),
        BadDeck("velocities without temperature", line: 3, key: "system.velocities.temperature",
                "missing required key 'temperature' in 'system.velocities'",
                copperLattice + ["  velocities: {seed: 3}"] + copperEAM + md),
        BadDeck("element without a potential", line: 2, key: "system.lattice.species", "no potential term covers 'Cu'",
                copperLattice + ["potential:", "  lj: {cutoff: 8, pairs: [{species: [Ar, Ar], epsilon: 0.01, sigma: 3.4}]}"] + md),
        BadDeck("structure of the wrong kind", line: 2, key: "system.structure.file", "must end in .xyz or .extxyz",
                ["system:", "  structure: {file: start.pdb}"] + copperEAM + md),
        BadDeck("frame in words", line: 2, key: "system.structure.frame", "expected an integer, found 'last'",
                ["system:", "  structure: {file: start.xyz, frame: last}"] + copperEAM + md),
        BadDeck("single point with settings", line: 5, key: "single_point.steps",
                "unknown key 'steps' in 'single_point'; it belongs in 'md'",
                run("single_point: {steps: 1}")),
        BadDeck("negative skin", line: 5, key: "neighbor.skin", "must be ≥ 0 Å, found -1",
                run("neighbor: {skin: -1}", "md: {steps: 1}")),
        BadDeck("zero max_steps", line: 5, key: "minimize.max_steps", "must be an integer ≥ 1, found 0",
                run("minimize: {max_steps: 0}")),
        BadDeck("negative energy change", line: 5, key: "minimize.energy_change", "must be ≥ 0 eV",
                run("minimize: {energy_change: -1e-6}")),
        BadDeck("misspelt cell coupling", line: 5, key: "minimize.cell.coupling", "unknown cell coupling 'iso'; did you mean 'isotropic'?",
                run("minimize: {cell: {coupling: iso}}")),
        BadDeck("md key in minimize", line: 5, key: "minimize.steps", "unknown key 'steps' in 'minimize'; did you mean 'max_steps'?",
                run("minimize: {steps: 100}")),
        BadDeck("misspelt thermo column", line: 7, key: "output.thermo.columns[1]",
                "unknown thermo column 'temp'; did you mean 'temperature'?",
                run("md: {steps: 10}", "output:", "  thermo: {columns: [step, temp]}")),
        BadDeck("zero thermo interval", line: 7, key: "output.thermo.every", "must be an integer ≥ 1, found 0",
                run("md: {steps: 10}", "output:", "  thermo: {every: 0}")),
        BadDeck("trajectory not H5MD", line: 7, key: "output.trajectory.file", "must end in .h5md",
                run("md: {steps: 10}", "output:", "  trajectory: {file: traj.xyz}")),
        BadDeck("trajectory named .h5", line: 7, key: "output.trajectory.file",
                "the trajectory file must end in .h5md, found 'traj.h5': MDAnalysis recognises H5MD trajectories by this extension only",
                run("md: {steps: 10}", "output:", "  trajectory: {file: traj.h5}")),
        BadDeck("trajectory field twice", line: 7, key: "output.trajectory.fields[1]", "'position' is listed twice",
                run("md: {steps: 10}", "output:", "  trajectory: {file: traj.h5md, fields: [position, position]}")),
        BadDeck("output folder missing", line: 7, key: "output.thermo.file", "does not exist; create it or change the path",
                run("md: {steps: 10}", "output:", "  thermo: {file: nowhere/thermo.csv}")),
        BadDeck("output over an input", line: 6, key: "output.final_structure", "is also an input of this run",
                fromFile + copperEAM + ["output:", "  final_structure: start.xyz", "single_point:"]),
        BadDeck("two outputs in one file", line: 8, key: "output.trajectory", "'trajectory' and 'thermo' would both write",
                run("md: {steps: 10}", "output:", "  thermo: {file: traj.h5md}", "  trajectory: {file: traj.h5md}")),
        BadDeck("non-name key", line: 5, key: nil, "keys must be names, found a list used as a key",
                run("? [a, b]", ": 1", "md: {steps: 1}")),
    ]
}

@Suite struct BadDeckTests {
    @Test(arguments: BadDeck.catalog)
    func badDeckReportsWhereAndWhy(_ deck: BadDeck) {
        let errors = DeckFixtures.errors(deck.text)
        let match = errors.first { $0.line == deck.line && $0.key == deck.key && $0.message.contains(deck.fragment) }
        #expect(match != nil, "expected line \(deck.line), key \(deck.key ?? "nil"), '\(deck.fragment)'; got:\n\(errors.map(\.description).joined(separator: "\n"))")
        #expect(errors.allSatisfy { ($0.line ?? 0) >= 1 && $0.file == DeckFixtures.fileName })
    }

    @Test func manyProblemsAreReportedTogetherInDeckOrder() {
        let errors = DeckFixtures.errors("""
        seed: -3
        system:
          lattice: {kind: fcc, a: 0, repeat: [4, 4, 4], species: Cu}
        potential:
          eam: {file: Cu_u3.eam}
        md:
          steps: -1
          timestep: 0
        """)
        #expect(errors.map(\.key) == ["seed", "system.lattice.a", "md.steps", "md.timestep"])
        #expect(errors.map(\.line) == [1, 3, 7, 8])
    }

    @Test func descriptionHasOneErrorPerLine() {
        do {
            _ = try DeckFixtures.decode("seed: x\nthreads: 0\n")
            Issue.record("expected errors")
        } catch let errors as DeckErrors {
            let lines = errors.description.split(separator: "\n")
            #expect(lines.count == errors.errors.count)
            #expect(lines.contains("deck.yaml:1:7: 'seed': expected an integer, found 'x'"))
            #expect(lines.contains("deck.yaml:2:10: 'threads': must be an integer ≥ 1, found 0"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
