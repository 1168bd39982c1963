using System;
using Micro.HeartRate;
using Micro.HeartRate.Model;
using Micro.Runtime;
using Micro.Runtime.Format;

namespace Micro.App
{
    /// <summary>
    /// The rhythm classifier seam (<see cref="IRhythmClassifier"/>) filled by a Micro.Runtime model: the
    /// int8 window goes into input 0, the network runs op by op (<see cref="Interpreter.Start"/> and <see cref="Interpreter.Step"/>, the sensor read between ops through <see cref="SliceHook"/>) (stopping at a
    /// confident early exit when the blob has exit heads), and the 4 class scores of whichever head
    /// answered become the verdict in permille (<see cref="ClassScores"/>). Class order of every head:
    /// regular, irregular, no_pulse, artefact.
    /// <para>
    /// Everything that can be wrong with the model's shapes is checked here, once: one int8 input of
    /// 16..250 samples at 25 Hz (the window length), with 1 channel (PPG) or 2 (PPG + tachogram: last dimension 2), int8 outputs of exactly 4 values on the main
    /// head and on every exit head. The constructor throws ArgumentException naming the problem;
    /// <see cref="Classify"/> then only returns false for a bad argument or an unexpected runtime fault, and
    /// allocates nothing. The arena is allocated here, once.
    /// </para>
    /// </summary>
    public sealed class BlobRhythmClassifier : IRhythmClassifier
    {
        /// <summary>Classes every head must score, in this order.</summary>
        public const int ClassCount = 4;

        public const int RegularClass = 0;
        public const int IrregularClass = 1;
        public const int NoPulseClass = 2;
        public const int ArtefactClass = 3;

        private const int MinWindow = 16;

        private readonly Model model;
        private readonly Interpreter interpreter;
        private readonly int windowSamples;
        private readonly int windowChannels;
        private readonly ClassScores[] heads;   // [0] main output, [g] exit group g
        private readonly int[] permille = new int[ClassCount];
        private long invocations;
        private long failures;
        private long exitsTaken;
        private int lastExit;

        /// <summary>Checks the model's shapes (throws ArgumentException) and allocates the arena.</summary>
        public BlobRhythmClassifier(Model model)
        {
            if (model == null) throw new ArgumentNullException("model");
            if (model.Inputs.Length != 1) throw new ArgumentException("the rhythm classifier needs a model with one input, this one has " + model.Inputs.Length);
            Tensor input = model.Tensors[model.Inputs[0]];
            if (input.DType != DType.Int8) throw new ArgumentException("input 0 is " + DType.Name(input.DType) + "; the window is int8");
            // Channels-last: a [1, W, 2] input is PPG + tachogram; anything else is the PPG alone.
            int channels = input.Rank >= 2 && input.Dims[input.Rank - 1] == 2 ? 2 : 1;
            int samples = input.ElementCount / channels;
            if (samples < MinWindow || samples > HeartRateMonitor.MaxWindowSamples)
                throw new ArgumentException("input 0 has " + (channels == 1 ? samples + " values" : samples + " samples of 2 channels") + "; the window must be " + MinWindow + ".."
                    + HeartRateMonitor.MaxWindowSamples + " samples at 25 Hz");
            ExitPoint[] exits = model.Exits;
            heads = new ClassScores[exits.Length + 1];
            heads[0] = ClassScores.For(model.Tensors[model.Outputs[0]], ClassCount, "output 0");
            for (int e = 0; e < exits.Length; e++)
            {
                if (exits[e].Group != e + 1) throw new ArgumentException("exit heads must be numbered 1.." + exits.Length);
                heads[e + 1] = ClassScores.For(model.Tensors[exits[e].OutputTensor], ClassCount, "exit " + (e + 1));
            }
            this.model = model;
            windowSamples = samples;
            windowChannels = channels;
            interpreter = new Interpreter(model);
        }

        /// <summary>Called between the network's ops (null: none): the alarm loop reads the sensor there.</summary>
        public ISliceHook SliceHook;

        /// <summary>Window length (25 Hz samples) the model takes.</summary>
        public int WindowSamples { get { return windowSamples; } }

        /// <summary>1 = PPG window; 2 = PPG + tachogram, channels-last (the input's last dimension is 2).</summary>
        public int WindowChannels { get { return windowChannels; } }

        /// <summary>The interpreter (for MACs, exit statistics, early-exit switch).</summary>
        public Interpreter Interpreter { get { return interpreter; } }

        /// <summary>When false, exit heads are skipped and the full network always runs.</summary>
        public bool EarlyExitEnabled
        {
            get { return interpreter.EarlyExitEnabled; }
            set { interpreter.EarlyExitEnabled = value; }
        }

        /// <summary>Successful classifications.</summary>
        public long Invocations { get { return invocations; } }

        /// <summary>Successful classifications an exit head answered (the rest ran the full network).</summary>
        public long ExitsTaken { get { return exitsTaken; } }

        /// <summary>Classifications that returned false.</summary>
        public long Failures { get { return failures; } }

        /// <summary>Exit group that answered the last classification (0 = the full network).</summary>
        public int LastExit { get { return lastExit; } }

        /// <summary>True when head 0 (the main output) is a softmax, false when it gives logits.</summary>
        public bool MainOutputIsProbability { get { return heads[0].IsProbability; } }

        /// <summary>Runs the model on window[0..WindowSamples) and fills verdict. False on any failure.</summary>
        public bool Classify(sbyte[] window, ModelVerdict verdict)
        {
            if (window == null || verdict == null || window.Length < windowSamples * windowChannels)
            {
                failures++;
                return false;
            }
            try
            {
                Interpreter it = interpreter;
                it.SetInput(0, window, 0);
                ISliceHook hook = SliceHook;
                // Read the sensor before the first op too: the step that calls us has just run the chain and the
                // spectral tracker, and the tracker's update plus the first op would otherwise be one long gap.
                if (hook != null) hook.BetweenSlices();
                it.Start();
                while (!it.Step())
                {
                    if (hook != null) hook.BetweenSlices();
                }
                int exit = it.ExitTaken;
                Tensor scores = model.Tensors[it.OutputTensor(0)];
                int[] p = permille;
                if (!heads[exit].ToPermille(it.Arena, scores.ArenaOffset, p))
                {
                    failures++;
                    return false;
                }
                verdict.Set(p[RegularClass], p[IrregularClass], p[NoPulseClass], p[ArtefactClass]);
                lastExit = exit;
                if (exit != 0) exitsTaken++;
                invocations++;
                return true;
            }
            catch (Exception)
            {
                failures++;
                return false;
            }
        }
    }
}
