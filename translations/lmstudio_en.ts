<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
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
        <source>DirectX BC6H block compression (8 bits per texel), written as a DDS file GPUs load directly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encoder effort: how many modes, partitions and endpoint refinements are searched (the bitrate is always 8 bits per texel).</source>
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
        <source>OpenEXR lightmap to open (default: the sample).</source>
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
    <name>lmc::studio::MainWindow</name>
    <message>
        <source>changing the codec</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>changing a parameter</source>
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
        <source>Compression</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Codec</source>
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
        <source>Reconstruction quality</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a lightmap with File ▸ Open…, or drop an .exr file here.</source>
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
        <source>Compression failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compression failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated %1 ms after the change</source>
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
        <source>loading a file</source>
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
        <source>A: Original</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>B: %1, %2 bpp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>B: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Texel %1, %2   original %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>   reconstruction %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>   (not covered)</source>
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
        <source>&amp;Dim Uncovered Texels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Darken gutter texels outside the UV charts; the metrics ignore them</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
