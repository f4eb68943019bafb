<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>lmc::HistogramView</name>
    <message>
        <source>%1% below</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1% above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 … %2: %3% of the texels</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lmc::MetricsPanel</name>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bitrate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ratio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mPSNR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>log-PSNR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PU21-PSNR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PU21-SSIM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size of the complete compressed stream, header included.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bits per texel: bytes × 8 / texels.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compression ratio against uncompressed half-float RGB (48 bits per texel).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wall time of the encoder on this machine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wall time of the decoder on this machine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>number and unit</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 KiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 B (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 : 1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bpp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Multi-exposure PSNR (Munkberg et al. 2006): PSNR of the gamma-encoded image averaged over the exposures that span the lightmap&apos;s range.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PSNR of log2(1 + x / E), E = median lit luminance: a given ratio of error weighs the same in shadows and highlights.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PSNR in PU21 perceptually uniform units (Mantiuk &amp; Azimi 2021), the median lit surface shown at 50 cd/m².</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Structural similarity (SSIM) of PU21-encoded luminance; 1 means identical.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>identical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (GPU memory: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>≈%1</source>
        <comment>approximate time</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measured while other codecs or sweeps shared the CPU; measured again alone once the app is idle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measured with no other work running in the app.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lmc::MetricsTable</name>
    <message>
        <source>Copy as TSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy All Rows</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lmc::MetricsTableModel</name>
    <message>
        <source>Codec</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bpp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mPSNR (dB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>log-PSNR (dB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PU21-PSNR (dB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PU21-SSIM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encode (ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decode (ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bits per texel: bytes × 8 / texels, header included.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Largest absolute difference of any channel, in the image&apos;s own units.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>≈%1</source>
        <comment>approximate time</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measured while other codecs or sweeps shared the CPU; measured again alone once the app is idle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measured with no other work running in the app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VRAM bpp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load (ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bits per texel the texture takes in GPU memory: its GPU block format&apos;s, for a codec followed by one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load time of a codec followed by a GPU format: decoding the stored stream plus transcoding it to the GPU format.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lmc::RdChartView</name>
    <message>
        <source>mPSNR vs bitrate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PU21-SSIM vs bitrate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encode and decode time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bits per texel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mPSNR (dB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Milliseconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PU21-PSNR vs bitrate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bits per texel (log scale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PU21-PSNR (dB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mPSNR %1 dB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PU21-SSIM %1 (%2 dB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PU21-PSNR %1 dB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 bpp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click to apply this setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PU21-SSIM (dB, −10·log₁₀(1 − SSIM))</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
encode %2 ms · decode %3 ms</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lmc::studio::ChartsPanel</name>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> dB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> bpp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PU21-SSIM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mPSNR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick a target bitrate or quality to read every codec at it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At %1 bpp: %2 on each codec&apos;s curve and its best setting within that budget, best first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At %1 dB %2: the bitrate each codec needs and its cheapest setting that reaches it, fewest bits first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Codec</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (dB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bpp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>n/a</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No swept points yet: run its sweep.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt; %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its lowest setting needs more than %1 bpp.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its lowest setting already exceeds the target; the curve does not go lower.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>≥ %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its highest setting uses fewer bits; the curve ends before the target.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No swept setting reaches %1 dB.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Against %1 on %2: BD-rate is the bitrate change at equal quality (negative saves bits), BD-PSNR the quality change at equal bitrate, over the range both curves cover.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No codec has a rate to sweep.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BD-rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BD-SSIM (dB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BD-PSNR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overlap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs at least two swept points on both curves.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The curves share no quality range.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The curves share no bitrate range.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The curves share only %1–%2 dB; BD-rate needs at least %3 dB in common.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The curves share only %1–%2 bpp; BD-PSNR needs a 10% wider bitrate range.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The curves cannot be compared (a quality that does not rise with the bitrate).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 dB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1–%2 dB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1–%2 bpp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log bitrate axis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bits per texel on a log scale, so the low rates that matter are not squeezed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metric</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PU21-SSIM (dB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The metric the target readout and the BD table use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bitrate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quality</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draw a line at a bitrate or a quality and read every codec at it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BD against</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reference codec of the Bjøntegaard table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 bpp, %3 dB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BD-rate is averaged over the shared quality range (%1), BD-PSNR over the shared bitrate range (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lmc::studio::CodecPanel</name>
    <message>
        <source>Compression failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 bytes · %2 bpp · mPSNR %3 dB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encoding…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RD sweep %1/%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RD curve: %1 points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No RD curve yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sweep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop this codec&apos;s RD sweep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measure this codec over its rate range in the background</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Codecs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The codec the split view, the quality panel and exports refer to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where learned codecs run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch %1 on or off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CUDA GPU %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 bytes · %2 bpp on disk · %3 bpp in VRAM · mPSNR %4 dB after transcoding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Then on the GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What a game hands the GPU after loading this codec&apos;s file: the decoded map transcoded to a GPU block format. The tile, metrics and RD curve then show that end of the chain; the bitrate stays the file&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None (decoded map)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>So far, still optimising: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lmc::studio::CodecText</name>
    <message>
        <source>JPEG-HDR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quality</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JPEG quality (1 = smallest, 100 = best); higher spends more bits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chroma</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colour resolution: 444 keeps every texel&apos;s colour, 420 halves it in both directions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>4:4:4 (full colour)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>4:2:0 (half colour)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log-luminance and log-chroma-ratio planes in an 8-bit JPEG (libjpeg-turbo), ranges in the header.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BC6H</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DirectX BC6H block compression (8 bits per stored texel): a DDS file GPUs load directly, or a half- or quarter-resolution texture that the GPU&apos;s bilinear filter upsamples.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored resolution: full (8 bits per texel, a DDS file), or half / quarter per axis (about 2 / 0.5 bits per texel, an .lmc file) upsampled bilinearly like a GPU does.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encoder effort: how many modes, partitions and endpoint refinements are searched (it does not change the bitrate).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BC6H_UF16 (unsigned, negative values clamp to 0) or BC6H_SF16 (signed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Normal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maximum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UF16 (unsigned)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SF16 (signed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quarter (1/4 per axis)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Half (1/2 per axis)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ASTC HDR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU-native ASTC with the HDR profile (libastcenc), 0.89 to 8 bits per texel by block footprint.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Block footprint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Texels per 128-bit block: 12x12 = 0.89 bpp up to 4x4 = 8 bpp; smaller blocks keep more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Effort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encoder search effort: slower presets find better blocks at the same bitrate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fastest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thorough</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exhaustive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learned autoencoder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learned VAE (hyperprior)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overfitted neural (per map)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per-map optimised neural codec (Cool-chic style latent grids, tiny synthesis MLP and context model, all in the stream); negative values are clamped to 0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate-distortion trade-off from 0 (smallest) to 1 (largest): lambda = 10^(-4 rate) in the training loss.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Iterations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimisation steps, each on a quarter of the map&apos;s texel rows: encode time grows linearly, quality with it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learned GAN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Convolutional autoencoder with a factorized entropy model, rANS-coded; variable rate via gains.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scale-hyperprior VAE (Balle 2018) with deterministic integer entropy tables, rANS-coded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The hyperprior codec with a decoder trained adversarially for sharper, artifact-free texels.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bitrate control from 0 (smallest) to 1 (near-lossless): up to 0.2 it sets the networks&apos; own rate, above it a residual refinement layer adds quality.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decoder precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Arithmetic of the decoder&apos;s networks: fp32, or int8 (post-training quantised integer kernels, identical on every CPU, a little quality lost). Stored in the stream.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none, or zstd (level 19) over the DDS file as a game package ships it (.dds.zst); the GPU still loads 8 bits per stored texel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate-distortion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0 (off) to 1: trade a bounded loss of quality for blocks that zstd and other package compressors code in fewer bits; the texture stays standard BC6H.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JPEG XL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JPEG XL (libjxl), lossy XYB on linear float input with an intensity target taken from the map; negative values are clamped to 0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Butteraugli distance as cjxl -d: lower keeps more (1 = visually lossless on a display); negative texel values are clamped to 0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encoder effort as cjxl -e: higher searches longer for fewer bits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AVIF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AVIF (libavif + libaom), 12-bit 4:4:4 PQ of the map scaled so its peak is at 10000 nits; negative values are clamped to 0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0..100 as avifenc 1.x -q: one AV1 quantizer ((100 - quality) * 63 + 50) / 100; negative texel values are clamped to 0 (PQ cannot carry them).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encoder speed as avifenc -s: 0 slowest and smallest, 10 fastest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OpenEXR DWAB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A standard half-float OpenEXR file with lossy DWAB compression (level = rate) or lossless PIZ; keeps negative values, clamps beyond 65504.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DWAB: lossy DCT compression of the half values (DWA level sets the rate); PIZ: lossless wavelet compression of the half values (a reference point; the level is ignored).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DWA compression level: higher quantises more coarsely and spends fewer bits (OpenEXR&apos;s default is 45).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JPEG 2000</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JPEG 2000 (OpenJPEG, 9/7 wavelet) on 16-bit PQ-encoded planes scaled to the map&apos;s peak; negative values clamp to 0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target bits per texel of the whole stream (OpenJPEG&apos;s rate allocation; simple maps may come out smaller). Negative input values clamp to 0 (PQ has no negatives).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Distance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supercompression</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compression</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DWA level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bits per texel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>zstd (package compression)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DWAB (lossy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PIZ (lossless)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FP32 (float)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INT8 (quantised)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lmc::studio::CommandLine</name>
    <message>
        <source>Compare HDR lightmap codecs interactively.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save a PNG of the window once the first result is shown, then exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User interface language: en or zh_CN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only one file can be opened: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--screenshot needs a file name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown language &apos;%1&apos; (use en or zh_CN).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draw the rate-distortion curves of the `lmc eval` CSVs given as arguments (mean over the lightmaps) to a PNG, then exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quality metric of --rd-plot: mpsnr, pu21psnr or both (default both).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OpenEXR lightmap to open (default: the sample); with --rd-plot, the eval CSVs (SERIES=CSV names that CSV&apos;s curves SERIES).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--rd-plot needs a file name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--rd-plot and --screenshot cannot be combined.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--rd-plot needs at least one CSV written by `lmc eval`.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown --rd-metric &apos;%1&apos; (use mpsnr, pu21psnr or both).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--rd-metric needs --rd-plot.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lmc::studio::ComparisonView</name>
    <message>
        <source>Original</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 × %2 texels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>for reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 bpp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · mPSNR %1 dB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compression failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for an image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>scale %1 … %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A: Original</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>B: Original</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A: %1, %2 bpp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>B: %1, %2 bpp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>B: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Absolute error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relative error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log ratio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PU21 difference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>linear image units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fraction of the original value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stops, 1 = a factor of 2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PU21 units ≈ 8-bit code values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, all codecs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Split</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heatmap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Charts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The original and every enabled codec side by side, zoom and pan synchronised (Ctrl+1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Two images with a draggable divider (Ctrl+2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per-codec error maps with a colour legend (Ctrl+3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate-distortion curves and encode/decode times (Ctrl+4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Texel grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lines between texels from 800% zoom (G)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wheel: zoom · drag: pan · Shift+drag: region</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Swap which image is left of the divider (F or Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Absolute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PU21 perceptual</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock scale across codecs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One colour scale for every codec, so equal colours mean equal errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sweep All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measure every enabled codec over its rate range in the background</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel Sweeps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a lightmap with File ▸ Open…, or drop an .exr file here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hollow squares: current settings · click a point to apply its setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · preview: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>False colour: luminance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>linear image units (Rec. 709 luminance)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed error (over/under)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stops: + brighter than the original (red), − darker (blue)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Codec blocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each codec&apos;s block grid from 200% zoom (B): BC6H 4×4 (8×8 or 16×16 at half or quarter resolution), ASTC its block size, JPEG-HDR 8×8 or 16×16 with 4:2:0 chroma, OpenEXR DWAB 8×8</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flicker A/B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show one whole image at a time instead of the divider; F, Space or Flip toggles A and B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto (2 Hz)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch between A and B by itself every quarter second (two A/B cycles a second)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed (over/under)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Absolute: |a − b|; relative: |a − b| / a; log ratio: stops between a and b; signed: stops from a to b, red where the codec is brighter, blue where darker; PU21: perceptual difference of luminance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · so far</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lmc::studio::DisplayPanel</name>
    <message>
        <source>Compression failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quality: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconstruction quality</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sRGB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ACES filmic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clamp (linear)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How linear values become display values: sRGB clips at white, ACES rolls highlights off, clamp shows linear values without a curve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tone curve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>False colour (±6 EV)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Luminance in stops around middle grey: blue dark, green mid, red bright</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Display</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exposure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> EV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Display exposure in stops; it changes only the view, not the compression.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Te&amp;xels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visible (charts + filter ring)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Covered (charts only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All texels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which texels the metrics, error maps and charts count. Visible: the UV charts and the one-texel ring around them that bilinear filtering shows in game. Covered: the charts only. All: every texel, gutters included.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;hannel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colour (RGB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Red</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Green</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Luminance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the colour picture, or one channel (or the luminance) as grey through the same exposure and curve</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lmc::studio::ErrorText</name>
    <message>
        <source>A setting is out of range or not recognised.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file could not be opened, read or written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file is damaged or is not what it claims to be.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file uses a feature this program does not support.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The image is larger than this program accepts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The operation was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An unexpected internal error occurred.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lmc::studio::HistogramPanel</name>
    <message>
        <source>Luminance of the original</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>linear image units, log axis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Absolute error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relative error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log ratio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PU21 difference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>linear image units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fraction of the original value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stops</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PU21 units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stops, − darker, + brighter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Histograms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uncheck to stop computing histograms</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lmc::studio::InspectorPanel</name>
    <message>
        <source>Shift+drag in the grid or heatmap to measure a region.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 × %2 texels at %3, %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hover over an image to inspect a texel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>abs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stops</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PU21</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Texel %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(not covered)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Original</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 × %2 texels, %3 %4, %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Range %1 … %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Covered texels: %1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n non-finite value(s)</source>
        <translation>
            <numerusform>%n non-finite value</numerusform>
            <numerusform>%n non-finite values</numerusform>
        </translation>
    </message>
    <message>
        <source>Pixel inspector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Region</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Codec</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mPSNR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PU21-SSIM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <comment>list separator</comment>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n negative value(s) in covered texels, lowest %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Signed mode chosen for: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clamp them to 0: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>± stops</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lmc::studio::MainWindow</name>
    <message>
        <source>changing the codec</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>choosing a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open lightmap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OpenEXR images (*.exr);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sample not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The bundled sample lightmap is not installed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Lightmap Codec Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Lightmap Codec Studio&lt;/b&gt;&lt;p&gt;Compresses baked HDR lightmaps with traditional and learned codecs and compares the results side by side.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>changing the language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Toolbar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open an OpenEXR lightmap (Ctrl+O); you can also drop a file on the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Sample</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit the image to the view (0 or double-click)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Actual Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One texel per screen pixel (1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fl&amp;ip A/B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Swap which image is left of the divider (F or Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Auto Exposure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expose so the average lit texel shows as middle grey (E)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The translation for %1 could not be loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compression failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>opening a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not open %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open lightmap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lightmap Codec Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — Lightmap Codec Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An error occurred while %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An unknown error occurred while %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RD sweep of %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>switching a codec</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Split</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heatmap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Charts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learned codecs: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device that runs the learned codecs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: compression failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 updated %2 ms after the change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>changing the measured texels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dim Uncounted Texels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Darken the texels the metrics do not count (gutters beyond the filter ring; see Texels)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This map has negative values: %1 switched to a signed mode that keeps them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <comment>list separator</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fast &amp;Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The live view encodes BC6H and ASTC at a faster encoder level so sliders follow quickly (the tile says so); RD sweeps, presets and exports always use the level you chose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>opening the multi-map evaluation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Evaluate Several Maps…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sweep the codecs over a folder or a set of lightmaps: mean and per-map curves, BD-rate per map and overall</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lmc::studio::MultiMapWindow</name>
    <message>
        <source>Add Lightmaps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OpenEXR files (*.exr)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a Folder of Lightmaps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled at %p%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add at least one map and tick at least one codec.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%v of %m points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean over all maps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean curve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>n/a</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BD-rate of each codec against %1 in %2 (Pareto fronts, PCHIP): the bits it needs for the same quality, negative = fewer. Mean curve: settings averaged over the maps both codecs have.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Evaluation CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluate Several Maps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Codecs (current settings, production effort)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add Files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add Folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Points per codec</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Curves of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BD metric</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mPSNR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>log-PSNR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PU21-PSNR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reference codec was not run on these maps.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lmc::studio::ParamEditor</name>
    <message>
        <source>on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>parameter label, then its value</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lmc::studio::PresetActions</name>
    <message>
        <source>Save &amp;Preset…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the current codec and parameters as a preset file (JSON)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Load Preset…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load a preset file and apply its codec and parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the compressed file, the reconstruction (EXR), the heatmap and chart (PNG) and the metrics (CSV) to a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n recent file(s) no longer exist and were removed from the list: %1</source>
        <translation>
            <numerusform>%n recent file no longer exists and was removed from the list: %1</numerusform>
            <numerusform>%n recent files no longer exist and were removed from the list: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Save Preset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lightmap codec presets (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot save preset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save the preset %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preset saved to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load Preset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot load preset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not load the preset %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preset loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The preset %1 was loaded. Please note:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preset %1 applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The export was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The export failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a lightmap first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export to Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) already exist in %1. Replace them?</source>
        <translation>
            <numerusform>%n file already exists in %1. Replace it?</numerusform>
            <numerusform>%n files already exist in %1. Replace them?</numerusform>
        </translation>
    </message>
    <message>
        <source>Replace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Exported %n file(s) to %1</source>
        <translation>
            <numerusform>Exported %n file to %1</numerusform>
            <numerusform>Exported %n files to %1</numerusform>
        </translation>
    </message>
    <message>
        <source>mPSNR ≥ %1 dB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PU21-PSNR ≥ %1 dB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>log-PSNR ≥ %1 dB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>≤ %1 bpp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On this map the preset gives %1 dB mPSNR at %2 bpp; saved on %3: %4 dB at %5 bpp.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On this map the preset gives %1 dB mPSNR at %2 bpp (it holds no saved measurement to compare).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a lightmap to solve the preset&apos;s target %1 for it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Solving the preset&apos;s target %1 for %2…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not solve the preset&apos;s target %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 dB PU21-PSNR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 dB log-PSNR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 dB mPSNR</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Preset target %1 solved for %2: %3 gives %4 at %5 bpp (%n encode(s)).</source>
        <translation>
            <numerusform>Preset target %1 solved for %2: %3 gives %4 at %5 bpp (%n encode).</numerusform>
            <numerusform>Preset target %1 solved for %2: %3 gives %4 at %5 bpp (%n encodes).</numerusform>
        </translation>
    </message>
    <message>
        <source>Preset target %1 cannot be reached on %2: the best setting, %3, gives %4 at %5 bpp and was applied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. “PC high” or “mobile”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target (what this setting is for):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None: keep the current setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mPSNR at least (dB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PU21-PSNR at least (dB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>log-PSNR at least (dB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bits per texel at most</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quality target:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With a quality target, the preset searches the codec&apos;s rate parameter for each map it is applied to (lmc apply, or loading it here).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This codec has no rate parameter, so it cannot take a quality target.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lmc::studio::RdPlotWidget</name>
    <message>
        <source>%1 (%2)</source>
        <comment>a codec and its variant</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate–distortion curves, mean over %1 lightmap(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate–distortion curves</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the evaluation CSVs: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The CSVs hold no measurements.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No lightmap was measured with every codec (%1); the mean curves would not be comparable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 lightmaps are left out: not every codec was measured on them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: settings missing on some lightmap are left out: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2: settings with an infinite or missing score are left out: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to plot: no codec setting has a finite score on every lightmap.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rendering failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lmc::studio::WorkspaceModel</name>
    <message>
        <source>showing a reconstruction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>showing the metrics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reporting a codec error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>adding a sweep point</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loading a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>switching a codec</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>changing a parameter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>starting a sweep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>applying a chart point</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>choosing a GPU format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <comment>a codec followed by a GPU format</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
