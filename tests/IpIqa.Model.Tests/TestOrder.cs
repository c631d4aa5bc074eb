// Tests here seed TorchSharp's one global generator (random.manual_seed) and then draw weights and inputs from it. Run in
// parallel, another class drawing from the same generator between the seed and the draw changed what a seeded test saw:
// ForwardPairsTests then met weights whose outputs for two images lay within its bound and failed once. One at a time,
// a seed gives the same draws on every run (the whole project takes seconds).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
