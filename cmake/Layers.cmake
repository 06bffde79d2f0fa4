# The layers are enforced at configure time: a source file that includes a header of a layer its folder may
# not use stops the configuration, naming the file and the include. Headers are included by layer folder
# ("matrix/SyncLoop.h"), so every include line says which layer it reaches into.
#
# presently_check_layer(<folder> OWN <include prefixes of the folder itself> USES <prefixes it may include>)
function(presently_check_layer folder)
  cmake_parse_arguments(ARG "" "" "OWN;USES" ${ARGN})
  file(GLOB_RECURSE sources RELATIVE ${CMAKE_SOURCE_DIR} ${CMAKE_SOURCE_DIR}/${folder}/*.h
                                                         ${CMAKE_SOURCE_DIR}/${folder}/*.cpp)
  set(allowed ${ARG_OWN} ${ARG_USES})
  foreach(source IN LISTS sources)
    file(STRINGS ${CMAKE_SOURCE_DIR}/${source} includes REGEX "^[ \t]*#[ \t]*include[ \t]+\"")
    foreach(line IN LISTS includes)
      if(line MATCHES "#[ \t]*include[ \t]+\"([A-Za-z0-9_]+)/")
        if(NOT CMAKE_MATCH_1 IN_LIST allowed)
          message(FATAL_ERROR "Layering: ${source} includes \"${CMAKE_MATCH_1}/…\", but ${folder}/ may use only: "
                              "${allowed} (app/CMakeLists.txt, ui/CMakeLists.txt).")
        endif()
      elseif(line MATCHES "#[ \t]*include[ \t]+\"[^\"/]+\"")
        message(FATAL_ERROR "Layering: ${source}: include project headers by their layer folder: ${line}")
      endif()
    endforeach()
  endforeach()
endfunction()
