# Install rules and the Debian packages (CPack):
#   smptraced  the server: /usr/sbin/smptraced, its systemd unit, its config,
#              the screening rules, the consent texts and the retention
#              policy in /etc/smptrace, the web app's files
#              (when built) in /usr/share/smptrace/web, the user and the
#              service made by deploy/debian/postinst;
#   smptrace   the command line: /usr/bin/smptrace and the guides in
#              /usr/share/doc/smptrace.
#   cmake --install build --prefix /opt/smptrace   everything, no packages
#   (cd build && cpack -G DEB)                     build/smptrace*_amd64.deb
# docs/admin.md, "Install from the .deb", has the rest.
include(GNUInstallDirs)
# `cmake --install` and cpack install what is built: they do not build
# everything first (the tests, the benchmarks) through the "all" target.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)

install(TARGETS smptraced RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR}
        COMPONENT server)
install(FILES deploy/screening.conf deploy/consent.conf deploy/retention.conf
              deploy/debian/smptraced.conf
        DESTINATION /etc/smptrace COMPONENT server)
install(FILES deploy/debian/smptraced.service
        DESTINATION /lib/systemd/system COMPONENT server)
install(PROGRAMS deploy/make-dev-certs.sh
        DESTINATION ${CMAKE_INSTALL_DATADIR}/smptrace COMPONENT server)
if(SMPTRACE_WEB)
  install(DIRECTORY ${CMAKE_BINARY_DIR}/web/dist/
          DESTINATION ${CMAKE_INSTALL_DATADIR}/smptrace/web COMPONENT server)
endif()

install(TARGETS smptrace RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        COMPONENT cli)
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT cli)
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT cli)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME smptrace)
set(CPACK_PACKAGE_VENDOR "smptrace")
set(CPACK_PACKAGE_CONTACT "smptrace maintainers <smptrace@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "sterility traceability for scalp micropigmentation clinics")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL server cli)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
# Dependencies on the shared libraries the binaries link (dpkg-shlibdeps).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_SERVER_PACKAGE_NAME smptraced)
set(CPACK_DEBIAN_SERVER_DESCRIPTION
    "smptrace server (smptraced) with its systemd unit
 The sterility record of a scalp micropigmentation clinic: which cartridge
 and pigment lot touched which client, in a tamper-evident journal.")
# make-dev-certs.sh (postinst) needs openssl; the unit, systemd.
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "openssl, passwd, systemd")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/deploy/debian/postinst
    ${PROJECT_SOURCE_DIR}/deploy/debian/prerm
    ${PROJECT_SOURCE_DIR}/deploy/debian/postrm
    ${PROJECT_SOURCE_DIR}/deploy/debian/conffiles)
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_CLI_PACKAGE_NAME smptrace)
set(CPACK_DEBIAN_CLI_DESCRIPTION
    "smptrace command line and guides
 Practitioners, managers, auditors and admins use it to talk to smptraced.")
include(CPack)
