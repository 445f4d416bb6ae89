@_exported import CrucibleCore
@_exported import CrucibleIO
