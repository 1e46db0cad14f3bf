package io.seckill.gateway.jmh;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.JWTVerifier;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.seckill.gateway.http.Authn;
import io.seckill.platform.auth.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The token check of a buyer's first request (the gateway remembers a verified token, so later
 * requests of the same token cost a cache look-up: {@link #authnCached}): the same HS256 token of
 * `seckill token` verified by the project's vertx-auth-jwt (as Authn configures it), by java-jwt
 * and by nimbus-jose-jwt, each set up to check the signature with the algorithm pinned to HS256 and
 * exp/nbf/iat with 5 s of leeway, then read sub and exp. One thread. Run with bench/jmh.sh
 * TokenCheckBench.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TokenCheckBench {
  private static final String SECRET = "a-benchmark-secret-of-more-than-32-bytes-0123456789";
  private static final int LEEWAY_SECONDS = 5;

  private Vertx vertx;
  private String token;
  private String bearer;
  private JWTAuth vertxJwt;
  private Authn authn;
  private JWTVerifier javaJwt;
  private DefaultJWTProcessor<SecurityContext> nimbus;

  @Setup(Level.Trial)
  public void setUp() {
    vertx = Vertx.vertx();
    token = new Tokens(vertx, SECRET).user("buyer-4711", 3600);
    bearer = "Bearer " + token;
    vertxJwt =
        JWTAuth.create(
            vertx,
            Tokens.options(SECRET).setJWTOptions(new JWTOptions().setLeeway(LEEWAY_SECONDS)));
    authn = new Authn(vertx, SECRET, Duration.ofSeconds(LEEWAY_SECONDS));
    javaJwt = JWT.require(Algorithm.HMAC256(SECRET)).acceptLeeway(LEEWAY_SECONDS).build();
    nimbus = new DefaultJWTProcessor<>();
    nimbus.setJWSKeySelector(
        new SingleKeyJWSKeySelector<>(
            JWSAlgorithm.HS256,
            new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256")));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(null, Set.of("sub", "exp"));
    claims.setMaxClockSkew(LEEWAY_SECONDS);
    nimbus.setJWTClaimsSetVerifier(claims);
    // Each must accept the token and see its subject, or the figures would compare a failure path.
    if (!"buyer-4711".equals(vertxAuthJwt()))
      throw new IllegalStateException("vertx-auth-jwt rejected the token");
    if (!"buyer-4711".equals(javaJwt()))
      throw new IllegalStateException("java-jwt rejected the token");
    if (!"buyer-4711".equals(nimbusJoseJwt()))
      throw new IllegalStateException("nimbus rejected the token");
    if (!"buyer-4711".equals(authnCached()))
      throw new IllegalStateException("Authn rejected the token");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    vertx.close().await();
  }

  /**
   * What Authn does on a token it has not seen: vertx-auth-jwt's authenticate (synchronous for
   * HS256).
   */
  @Benchmark
  public String vertxAuthJwt() {
    Future<User> f = vertxJwt.authenticate(new TokenCredentials(token));
    if (!f.succeeded()) throw new IllegalStateException("not verified at once: " + f.cause());
    User user = f.result();
    Object exp = user.attributes().getValue("exp");
    if (exp == null
        && user.attributes().getValue("accessToken") instanceof io.vertx.core.json.JsonObject at)
      exp = at.getValue("exp");
    if (!(exp instanceof Number)) throw new IllegalStateException("no exp");
    return user.principal().getString("sub");
  }

  @Benchmark
  public String javaJwt() {
    DecodedJWT d = javaJwt.verify(token);
    if (d.getExpiresAtAsInstant() == null) throw new IllegalStateException("no exp");
    return d.getSubject();
  }

  @Benchmark
  public String nimbusJoseJwt() {
    try {
      JWTClaimsSet c = nimbus.process(token, null);
      if (c.getExpirationTime() == null) throw new IllegalStateException("no exp");
      return c.getSubject();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A buyer's later requests: Authn with the token already verified (its cache, the leeway check, a
   * Future).
   */
  @Benchmark
  public String authnCached() {
    return authn.authenticate(bearer).result().userId();
  }
}
