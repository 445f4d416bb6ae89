import CrucibleIO
import Testing

@Suite struct ValidDeckTests {
    let folder = DeckFixtures.folder

    @Test func mdDeckDecodesToThePlan() throws {
        let text = """
        title: "CuNi alloy, NPT"
        seed: 12345
        threads: 2
        system:
          lattice:
            kind: fcc
            a: 3.6
            repeat: [10, 10, 10]
            composition: {Cu: 0.5, Ni: 0.5}
            seed: 7
          masses: {Cu: 63.546}
          velocities: {temperature: 300, seed: 3}
        potential:
          eam:
            files: [Cu_u3.eam, Ni_u3.eam]
        neighbor: {skin: 0.5}
        md:
          steps: 1e3
          timestep: 0.002
          thermostat:
            langevin: {temperature: 300, damping: 0.1}
          barostat:
            pressure: 1.0
            tau: 2.0
            compressibility: 4.5e-7
            coupling: anisotropic
            axes: [z, x]
        output:
          thermo: {every: 50, file: thermo.csv, columns: [step, temperature, pxx]}
          trajectory: {file: out/traj.h5md, every: 200, fields: [position, velocity]}
          final_structure: final.xyz
        """
        let plan = try DeckFixtures.decode(text)
        let expected = RunPlan(
            title: "CuNi alloy, NPT", seed: 12345, threads: 2,
            system: SystemPlan(
                source: .lattice(LatticePlan(kind: .fcc, a: 3.6, c: nil, repeats: SIMD3(10, 10, 10),
                                             occupancy: .fractions([LatticePlan.SpeciesFraction(symbol: "Cu", fraction: 0.5),
                                                                    LatticePlan.SpeciesFraction(symbol: "Ni", fraction: 0.5)]),
                                             seed: 7)),
                masses: ["Cu": 63.546],
                velocities: VelocityPlan(temperature: 300, seed: 3)),
            potential: [.eam(EAMPlan(format: .funcfl, files: [folder + "/Cu_u3.eam", folder + "/Ni_u3.eam"],
                                     species: ["Cu", "Ni"]))],
            neighbor: NeighborPlan(skin: 0.5, every: 1, check: true),
            run: .md(MDPlan(steps: 1000, timestep: 0.002,
                            thermostat: .langevin(temperature: 300, damping: 0.1),
                            barostat: BarostatPlan(pressure: 1.0, tau: 2.0, compressibility: 4.5e-7,
                                                   coupling: .anisotropic(axes: [.x, .z])))),
            output: OutputPlan(thermo: ThermoOutputPlan(every: 50, path: folder + "/thermo.csv",
                                                        columns: [.step, .temperature, .pxx]),
                               trajectory: TrajectoryOutputPlan(path: folder + "/out/traj.h5md", every: 200,
                                                                fields: [.position, .velocity]),
                               finalStructurePath: folder + "/final.xyz"),
            deckPath: folder + "/deck.yaml", deckText: text)
        #expect(plan == expected)
        if case .lattice(let lattice) = plan.system.source {
            #expect(lattice.atomCount == 4000)
        }
    }

    @Test func minimizeDeckDecodesToThePlan() throws {
        let text = """
        system:
          structure: {file: start.xyz, frame: 0}
          masses: {Ar: 39.95}
        potential:
          - lj:
              cutoff: 8.5
              shift: yes
              pairs:
                - {species: [Ar, Ar], epsilon: 0.0104, sigma: 3.40}
                - {species: [Ar, Kr], epsilon: 0.0140, sigma: 3.5, cutoff: 9}
          - eam: {file: CuNi.eam.alloy}
        minimize:
          max_force: 1.0e-3
          energy_change: 1e-8
          max_steps: 500
          cell: {pressure: 10, coupling: triclinic}
        """
        let plan = try DeckFixtures.decode(text)
        #expect(plan.title == nil)
        #expect(plan.seed == 1)
        #expect(plan.threads == 1)
        #expect(plan.neighbor == NeighborPlan(skin: 1.0, every: 1, check: true))
        #expect(plan.system == SystemPlan(source: .structure(StructureFilePlan(path: folder + "/start.xyz", frame: 0)),
                                          masses: ["Ar": 39.95], velocities: nil))
        #expect(plan.potential == [
            .lennardJones(LennardJonesPlan(cutoff: 8.5, shift: true, pairs: [
                LennardJonesPairPlan(first: "Ar", second: "Ar", epsilon: 0.0104, sigma: 3.40, cutoff: 8.5),
                LennardJonesPairPlan(first: "Ar", second: "Kr", epsilon: 0.0140, sigma: 3.5, cutoff: 9),
            ])),
            .eam(EAMPlan(format: .setfl, files: [folder + "/CuNi.eam.alloy"], species: [])),
        ])
        #expect(plan.run == .minimize(MinimizePlan(algorithm: .fire, maxForce: 1.0e-3, energyChange: 1e-8, maxSteps: 500,
                                                   cell: CellRelaxPlan(pressure: 10, coupling: .triclinic))))
        #expect(plan.output == OutputPlan(thermo: ThermoOutputPlan(every: 100, path: nil, columns: ThermoOutputPlan.defaultColumns),
                                          trajectory: nil, finalStructurePath: nil))
    }

    @Test func singlePointDeckDecodesToThePlan() throws {
        let text = """
        seed: 99
        system:
          lattice: {kind: hcp, a: 3.2, repeat: [2, 2, 2], composition: {Cu: 10, Ni: 6}}
        potential:
          eam: {files: [Cu_u3.eam, Ni_u3.eam], format: funcfl, species: [Cu, Ni]}
        single_point:
        """
        let plan = try DeckFixtures.decode(text)
        #expect(plan.run == .singlePoint)
        #expect(plan.seed == 99)
        guard case .lattice(let lattice) = plan.system.source else {
            Issue.record("expected a lattice")
            return
        }
        #expect(lattice.kind == .hcp)
        #expect(abs((lattice.c ?? 0) - 3.2 * (8.0 / 3.0).squareRoot()) < 1e-12)
        #expect(lattice.seed == 99)
        #expect(lattice.occupancy == .counts([LatticePlan.SpeciesCount(symbol: "Cu", count: 10), LatticePlan.SpeciesCount(symbol: "Ni", count: 6)]))
        #expect(plan.potential == [.eam(EAMPlan(format: .funcfl, files: [folder + "/Cu_u3.eam", folder + "/Ni_u3.eam"],
                                                species: ["Cu", "Ni"]))])
    }

    @Test func mdDefaultsApply() throws {
        let plan = try DeckFixtures.decode("""
        system:
          lattice: {kind: sc, a: 2.5, repeat: [3, 3, 3], species: Ar}
          velocities: {temperature: 50}
        potential:
          lj: {cutoff: 8, pairs: [{species: [Ar, Ar], epsilon: 0.01, sigma: 3.4}]}
        md: {steps: 0}
        """)
        #expect(plan.run == .md(MDPlan(steps: 0, timestep: 0.001, thermostat: nil, barostat: nil)))
        #expect(plan.system.velocities == VelocityPlan(temperature: 50, seed: 1))
        #expect(plan.output.thermo.every == 100)
    }

    @Test func barostatDefaultsToIsotropicAndAnisotropicToAllAxes() throws {
        func barostat(_ body: String) throws -> BarostatPlan? {
            let plan = try DeckFixtures.decode("""
            system: {structure: {file: start.xyz}}
            potential: {eam: {file: CuNi.eam.alloy}}
            md:
              steps: 10
              thermostat: {csvr: {temperature: 300, tau: 0.1}}
              barostat: \(body)
            """)
            guard case .md(let md) = plan.run else { return nil }
            #expect(md.thermostat == .csvr(temperature: 300, tau: 0.1))
            return md.barostat
        }
        #expect(try barostat("{}") == BarostatPlan(pressure: 1, tau: 1, compressibility: 1e-6, coupling: .isotropic))
        #expect(try barostat("{coupling: anisotropic}")?.coupling == .anisotropic(axes: [.x, .y, .z]))
    }

    @Test func loadDeckReadsAFileAndResolvesPathsFromItsFolder() throws {
        let path = folder + "/loaded.yaml"
        let text = "system: {structure: {file: start.xyz}}\npotential: {eam: {file: Cu_u3.eam}}\nsingle_point: {}\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let plan = try loadDeck(path: path)
        #expect(plan.deckPath == path)
        #expect(plan.deckText == text)
        #expect(plan.system.source == .structure(StructureFilePlan(path: folder + "/start.xyz", frame: -1)))
    }
}
