import CrucibleCore

/// A reproducible train / validation / test split of frame indices: a seeded shuffle cut by fractions.
public struct DataSplit: Sendable, Equatable {
    public let training: [Int]
    public let validation: [Int]
    public let test: [Int]

    /// `trainingLimit`: use only the first so many of the training frames (in shuffled order), with
    /// the validation and test sets unchanged: the points of a learning curve.
    public init(count: Int, train: Double, validation: Double, seed: UInt64, trainingLimit: Int? = nil) {
        var order = Array(0..<count)
        var random = RandomStream(seed: seed, stream: 77)
        if count > 1 {
            for i in stride(from: count - 1, to: 0, by: -1) {   // Fisher–Yates
                let j = Int(random.next() % UInt64(i + 1))
                order.swapAt(i, j)
            }
        }
        let nTrain = min(count, Int((train * Double(count)).rounded()))
        let nValidation = min(count - nTrain, Int((validation * Double(count)).rounded()))
        training = Array(order[0..<min(nTrain, trainingLimit ?? nTrain)]).sorted()
        self.validation = Array(order[nTrain..<(nTrain + nValidation)]).sorted()
        test = Array(order[(nTrain + nValidation)...]).sorted()
    }
}
