import CrucibleCore
import Foundation
import Testing
@testable import CrucibleIO

/// Writes files for Tools/check_extxyz_ase.py, which reads them with ASE and compares.
/// Runs only when CRUCIBLE_EXTXYZ_SAMPLES names an output directory (the script sets it).
@Suite("Extended XYZ export for the ASE check")
struct ExtXYZASEExportTests {
    static let outputDirectory = ProcessInfo.processInfo.environment["CRUCIBLE_EXTXYZ_SAMPLES"]

    @Test(.enabled(if: outputDirectory != nil))
    func writeSamplesForASE() throws {
        let directory = try #require(Self.outputDirectory)
        try writeExtXYZ([ExtXYZWriterTests.sampleFrame()], to: directory + "/sample.xyz")
        for name in ["Cu_u3_eam.extxyz", "hea25_cookbook_test_data_33.xyz", "CuNi_u3_funcfl_mixing.extxyz"] {
            let frames = try readExtXYZ(path: IOTestResources.path(name))
            try writeExtXYZ(frames, to: directory + "/rewritten_" + name)
        }
    }
}
