// CompressionRunner with the real JPEG-HDR codec: only the newest generation's results are delivered (a stale job
// held back past the newer one is dropped), debouncing coalesces bursts, cancelled jobs stay silent, and the
// numbers delivered are the codec's and the metrics' own. A codec handing interim streams has each delivered as an
// interim result while its job stays busy.
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "app/studio/compression_runner.h"
#include "codec/metrics.h"
#include "test_support.h"

using namespace lmc;
using namespace lmc::studio;

namespace {

ParamSet jpegParams(int quality) {
    ParamSet p;
    p.set("quality", quality);
    p.set("chroma", 1);
    return p;
}

CompressionResultPtr resultAt(const QSignalSpy& spy, int index) {
    return spy.at(index).at(0).value<CompressionResultPtr>();
}

}  // namespace

class TestCompressionRunner : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void deliversReconstructionThenMetrics();
    void staleResultIsDropped();
    void debounceCoalescesBurst();
    void cancelledJobsStaySilent();
    void unknownCodecReportsError();
    void sharedTimesAreMeasuredAgainAlone();
    void interimResultsShowWhileTheJobGoesOn();

private:
    std::shared_ptr<const Image> image_;
};

void TestCompressionRunner::initTestCase() {
    QVERIFY2(CodecRegistry::builtin().find("jpeg") != nullptr, "the JPEG codec must be registered");
    image_ = std::make_shared<const Image>(test::makeLightmap(128, 96));
}

void TestCompressionRunner::deliversReconstructionThenMetrics() {
    CompressionRunner runner;
    runner.setSource(image_, nullptr);
    QSignalSpy shown(&runner, &CompressionRunner::reconstructionReady);
    QSignalSpy measured(&runner, &CompressionRunner::metricsReady);
    QSignalSpy busy(&runner, &CompressionRunner::busyChanged);
    const quint64 gen = runner.requestNow("jpeg", jpegParams(60));
    QVERIFY(gen > 0);
    QVERIFY(runner.isBusy());
    QVERIFY(test::waitForCount(measured, 1));
    QCOMPARE(shown.count(), 1);
    QVERIFY(!runner.isBusy());
    QCOMPARE(busy.count(), 2);  // true, then false

    CompressionResultPtr r = resultAt(shown, 0);
    QCOMPARE(r->generation, gen);
    QCOMPARE(r->codecId, std::string("jpeg"));
    QCOMPARE(r->params.getInt("quality"), 60);
    QVERIFY(r->reconstruction);
    QCOMPARE(r->reconstruction->width(), 128);
    QCOMPARE(r->reconstruction->height(), 96);

    // The delivered numbers are the codec's: the same encode run here gives the same stream length (JPEG is
    // deterministic), and bpp follows from it.
    const Codec* jpeg = CodecRegistry::builtin().find("jpeg");
    auto bytes = encodeImage(*jpeg, image_->view(), jpegParams(60), CodecContext{});
    QVERIFY(bytes.ok());
    QCOMPARE(r->bytes, bytes->size());
    QCOMPARE(r->bitsPerTexel, double(bytes->size()) * 8.0 / (128.0 * 96.0));

    CompressionResultPtr m = resultAt(measured, 0);
    QVERIFY(m->hasMetrics);
    auto direct = computeMetrics(image_->view(), m->reconstruction->view());
    QVERIFY(direct.ok());
    QCOMPARE(m->metrics.mPsnr, direct->mPsnr);
    QCOMPARE(m->metrics.pu21Ssim, direct->pu21Ssim);
    QVERIFY(m->metrics.logPsnr > 20.0 && m->metrics.logPsnr < kPsnrCapDb);
}

void TestCompressionRunner::staleResultIsDropped() {
    CompressionRunner runner;
    runner.setSource(image_, nullptr);
    // Job 1 is held after decoding until job 2 has been delivered, then released: its result arrives last and
    // must be discarded.
    QSemaphore firstReachedHook, releaseFirst;
    std::atomic<quint64> firstGeneration{0};
    runner.setBeforeDeliverHook([&](quint64 generation) {
        if (generation == firstGeneration.load()) {
            firstReachedHook.release();
            releaseFirst.acquire();
        }
    });
    QSignalSpy shown(&runner, &CompressionRunner::reconstructionReady);
    QSignalSpy measured(&runner, &CompressionRunner::metricsReady);
    QSignalSpy dropped(&runner, &CompressionRunner::resultDropped);
    QSignalSpy failed(&runner, &CompressionRunner::jobFailed);

    // The hook reads firstGeneration, so set it before the job can reach the hook: generations count up from the
    // runner's current one.
    firstGeneration = runner.generation() + 1;
    const quint64 gen1 = runner.requestNow("jpeg", jpegParams(10));
    QCOMPARE(gen1, firstGeneration.load());
    QVERIFY(firstReachedHook.tryAcquire(1, 20000));

    const quint64 gen2 = runner.requestNow("jpeg", jpegParams(90));
    QVERIFY(gen2 > gen1);
    QVERIFY(test::waitForCount(measured, 1));
    QCOMPARE(shown.count(), 1);
    QCOMPARE(resultAt(shown, 0)->generation, gen2);

    releaseFirst.release();
    QVERIFY(test::waitForCount(dropped, 1));
    QTest::qWait(50);  // anything else job 1 might post
    QCOMPARE(dropped.at(0).at(0).toULongLong(), gen1);
    QCOMPARE(runner.droppedResults(), 1);
    QCOMPARE(shown.count(), 1);
    QCOMPARE(measured.count(), 1);
    QCOMPARE(resultAt(measured, 0)->params.getInt("quality"), 90);
    QCOMPARE(failed.count(), 0);
}

void TestCompressionRunner::debounceCoalescesBurst() {
    CompressionRunner runner;
    runner.setSource(image_, nullptr);
    runner.setDebounceMs(40);
    runner.setMaxWaitMs(10000);
    QSignalSpy started(&runner, &CompressionRunner::jobStarted);
    QSignalSpy measured(&runner, &CompressionRunner::metricsReady);
    for (int q = 10; q <= 50; q += 10) runner.request("jpeg", jpegParams(q));
    QVERIFY(runner.isBusy());  // busy from the first change, before any job starts
    QCOMPARE(started.count(), 0);
    QVERIFY(test::waitForCount(measured, 1));
    QTest::qWait(60);
    QCOMPARE(started.count(), 1);
    QCOMPARE(resultAt(measured, 0)->params.getInt("quality"), 50);
}

void TestCompressionRunner::cancelledJobsStaySilent() {
    CompressionRunner runner;
    runner.setSource(image_, nullptr);
    QSignalSpy shown(&runner, &CompressionRunner::reconstructionReady);
    QSignalSpy measured(&runner, &CompressionRunner::metricsReady);
    QSignalSpy failed(&runner, &CompressionRunner::jobFailed);
    quint64 last = 0;
    for (int q = 20; q <= 80; q += 20) last = runner.requestNow("jpeg", jpegParams(q));
    QVERIFY(test::waitForCount(measured, 1));
    QTest::qWait(100);
    QCOMPARE(failed.count(), 0);  // Cancelled is never reported
    QCOMPARE(measured.count(), 1);
    QCOMPARE(resultAt(measured, 0)->generation, last);
    for (int i = 0; i < shown.count(); ++i) QCOMPARE(resultAt(shown, i)->generation, last);

    // cancel() makes even the newest job stale.
    runner.requestNow("jpeg", jpegParams(30));
    runner.cancel();
    QVERIFY(!runner.isBusy());
    QTest::qWait(300);
    QCOMPARE(measured.count(), 1);
}

void TestCompressionRunner::unknownCodecReportsError() {
    CompressionRunner runner;
    runner.setSource(image_, nullptr);
    QSignalSpy failed(&runner, &CompressionRunner::jobFailed);
    QCOMPARE(runner.requestNow("no-such-codec", ParamSet{}), quint64(0));
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(1).value<Error>().code, ErrorCode::InvalidArgument);
    QVERIFY(!runner.isBusy());
    // Out-of-range parameters come back from encodeImage's validation as an error, not a crash.
    runner.requestNow("jpeg", jpegParams(1000));
    QVERIFY(test::waitForCount(failed, 2));
    QCOMPARE(failed.at(1).at(1).value<Error>().code, ErrorCode::InvalidArgument);
}

void TestCompressionRunner::sharedTimesAreMeasuredAgainAlone() {
    // A job that ran beside another one says its times were shared; retime() measures the setting again once the
    // scheduler is idle and reports times taken alone for that generation only.
    auto scheduler = std::make_shared<JobScheduler>(2, std::chrono::milliseconds(20));
    CompressionRunner runner(CodecRegistry::builtin(), nullptr, scheduler);
    runner.setSource(image_, nullptr);
    QSignalSpy measured(&runner, &CompressionRunner::metricsReady);
    QSignalSpy timed(&runner, &CompressionRunner::timesMeasured);

    runner.requestNow("jpeg", jpegParams(60));
    QVERIFY(test::waitForCount(measured, 1));
    QVERIFY(!resultAt(measured, 0)->timesShared);  // it ran alone

    // Another group's job holds a core while the next one runs.
    auto other = scheduler->makeGroup();
    std::mutex m;
    std::condition_variable cv;
    bool open = false;
    std::atomic<bool> started{false};
    scheduler->submit(other, Priority::Interactive, nullptr, [&] {
        started = true;
        std::unique_lock<std::mutex> lock(m);
        cv.wait(lock, [&] { return open; });
    });
    QTRY_VERIFY(started.load());
    const quint64 gen = runner.requestNow("jpeg", jpegParams(70));
    QVERIFY(test::waitForCount(measured, 2));
    const CompressionResultPtr shared = resultAt(measured, 1);
    QCOMPARE(shared->generation, gen);
    QVERIFY(shared->timesShared);
    QVERIFY(runner.retime(shared));
    QTest::qWait(100);
    QCOMPARE(timed.count(), 0);  // Background: waits while the other job runs
    {
        std::lock_guard<std::mutex> lock(m);
        open = true;
    }
    cv.notify_all();
    QVERIFY(test::waitForCount(timed, 1));
    QCOMPARE(timed.at(0).at(0).value<quint64>(), gen);
    QVERIFY(timed.at(0).at(1).toDouble() > 0.0);
    QVERIFY(timed.at(0).at(2).toDouble() > 0.0);

    // A newer request makes the old result stale: nothing to retime.
    runner.requestNow("jpeg", jpegParams(80));
    QVERIFY(!runner.retime(shared));
    QVERIFY(test::waitForCount(measured, 3));
    scheduler->cancelGroup(other);
}

void TestCompressionRunner::interimResultsShowWhileTheJobGoesOn() {
    CodecRegistry registry;
    registry.add(std::make_unique<test::RefiningCodec>(*CodecRegistry::builtin().find("jpeg")));
    CompressionRunner runner(registry);
    runner.setSource(image_, nullptr);
    QSignalSpy shown(&runner, &CompressionRunner::reconstructionReady);
    QSignalSpy measured(&runner, &CompressionRunner::metricsReady);
    std::vector<bool> busyAtDelivery;
    connect(&runner, &CompressionRunner::metricsReady, this,
            [&](const CompressionResultPtr&) { busyAtDelivery.push_back(runner.isBusy()); });
    const quint64 gen = runner.requestNow("refining", jpegParams(80));
    QVERIFY(test::waitForCount(measured, 3));
    QTest::qWait(50);  // nothing more may follow
    QCOMPARE(shown.count(), 3);
    QCOMPARE(measured.count(), 3);
    // Two interim results while the job stays busy, then the final one ends it.
    QCOMPARE(busyAtDelivery, (std::vector<bool>{true, true, false}));
    const Codec* jpeg = CodecRegistry::builtin().find("jpeg");
    const int qualities[] = {10, 30, 80};
    for (int i = 0; i < 3; ++i) {
        const CompressionResultPtr r = resultAt(measured, i);
        QCOMPARE(r->generation, gen);
        QCOMPARE(r->interim, i < 2);
        QVERIFY(r->hasMetrics && r->reconstruction);
        // Each is the stream it claims: the size of that quality's encode, measured like any result.
        auto bytes = encodeImage(*jpeg, image_->view(), jpegParams(qualities[i]), CodecContext{});
        QVERIFY(bytes.ok());
        QCOMPARE(r->bytes, bytes->size());
        auto direct = computeMetrics(image_->view(), r->reconstruction->view());
        QVERIFY(direct.ok());
        QCOMPARE(r->metrics.mPsnr, direct->mPsnr);
        if (i > 0) QVERIFY(r->metrics.logPsnr > resultAt(measured, i - 1)->metrics.logPsnr);
    }
    QVERIFY(!runner.isBusy());
}

QTEST_GUILESS_MAIN(TestCompressionRunner)
#include "tst_compression_runner.moc"
