@_exported import CrucibleCore
